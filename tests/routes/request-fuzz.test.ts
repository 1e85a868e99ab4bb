/**
 * Property-based fuzzing of every step of the request form: whatever is posted, the answer is a
 * redirect or the same page with errors (never a 500), and no request row appears until the person
 * submits the check page with the declaration.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rightsRequests } from '../../server/db/schema';
import { STEPS } from '../../server/domain/rights-request';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const FIELDS = [
  'kind',
  'scope',
  'projectId',
  'organisationId',
  'onBehalf',
  'requesterName',
  'relationship',
  'lastName',
  'firstNames',
  'birthName',
  'birthDay',
  'birthMonth',
  'birthYear',
  'birthPlace',
  'nir',
  'insuranceScheme',
  'email',
  'postalAddress',
  'reason',
  'wrongData',
  'correctData',
  'accessScope',
  'otherDetails',
];
const VALUES = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    'opposition',
    'acces',
    'snds',
    'projet',
    'responsable',
    'self',
    'child',
    'general',
    '2A',
    '31',
    '02',
    '1995',
    '2 95 10 99 126 111 93',
    'a@b.fr',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\u0000',
    '',
  ),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);
const body = fc.dictionary(fc.constantFrom(...FIELDS), VALUES, { maxKeys: 12 });
const count = () => t.deps.database.db.select().from(rightsRequests).all().length;

describe('fuzzing the form', () => {
  it.each(STEPS)('step %s never fails and never stores a request', async (step) => {
    const c = client(t);
    await c.get('/demande');
    await c.post('/demande', {});
    // Answer the steps before this one, so that posts to it reach its validation.
    const valid: Record<string, Record<string, string>> = {
      type: { kind: 'opposition' },
      portee: { scope: 'snds' },
      'pour-qui': { onBehalf: 'self' },
      identite: {
        lastName: 'A',
        firstNames: 'B',
        birthDay: '12',
        birthMonth: '10',
        birthYear: '1995',
        birthPlace: 'C',
        nir: '2 95 10 99 126 111 93',
        insuranceScheme: 'cpam',
      },
      contact: { email: 'fuzz@example.org' },
    };
    for (const earlier of STEPS.slice(0, STEPS.indexOf(step))) {
      await c.get(`/demande/${earlier}`);
      expect((await c.post(`/demande/${earlier}`, valid[earlier]!)).status).toBe(303);
    }
    await c.get('/demande/type');
    const before = count();
    await fc.assert(
      fc.asyncProperty(body, async (fields) => {
        const page = await c.post(`/demande/${step}`, fields);
        expect([200, 303, 422]).toContain(page.status);
        if (page.status === 303) expect(page.location).not.toBe(`/demande/${STEPS[0]}`);
        if (page.status === 422) expect(page.html).toContain('class="error-summary"');
        // refresh the CSRF token from a page, as a browser would
        await c.get('/demande/type');
      }),
      { numRuns: 40 },
    );
    expect(count()).toBe(before);
  });

  it('the check page without a declaration, or with a robot’s honeypot, stores nothing', async () => {
    const c = client(t);
    await c.get('/demande');
    await c.post('/demande', {});
    const before = count();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('idempotencyKey', 'website', 'force', 'declaration'), VALUES), async (fields) => {
        const page = await c.post('/demande/verifier', { ...fields, website: fields.website || 'robot' });
        expect([200, 303, 422]).toContain(page.status);
        await c.get('/demande');
      }),
      { numRuns: 40 },
    );
    expect(count()).toBe(before);
  });
});
