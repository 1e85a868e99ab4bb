/**
 * Rate limits that hold when the attempts come from many client addresses: tracking links per reference
 * and per e-mail (as well as per address), new drafts per address, staff sign-in per account (as well as
 * per address). Each client address is a socket address, as @hono/node-server gives it; 429 pages are
 * localized.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCredential } from '../../server/db/staff';
import { createReference } from '../../server/domain/reference';
import { allowEach, createRateLimiter } from '../../server/middleware/rate-limit';
import { TRACK_LIMIT_PER_ADDRESS, TRACK_LIMIT_PER_TARGET } from '../../server/routes/tracking';
import { SIGN_IN_LIMIT } from '../../server/routes/staff/auth';
import { makeTestApp, type TestApp } from '../helpers/app';
import { walkFixtures, type WalkFixtures } from '../helpers/walk';

let t: TestApp;
let f: WalkFixtures;
beforeAll(async () => {
  t = makeTestApp({ LOG_LEVEL: 'warn', SUBMIT_RATE_LIMIT: '2' });
  f = await walkFixtures(t);
});
afterAll(() => t.close());

let lastAddress = 0;
/** A fresh client address each call (10.0.x.y). */
const nextAddress = () => {
  lastAddress += 1;
  return `10.0.${lastAddress >> 8}.${lastAddress & 255}`;
};

/**
 * A form POST as it reaches the app under @hono/node-server from `address`: the Node request (headers
 * and socket) is what server/http.ts reads the client address and the headers from.
 */
async function postFrom(address: string, path: string, fields: Record<string, string>, cookie = f.cookie()) {
  const headers = { cookie, origin: t.deps.config.publicUrl.origin, 'content-type': 'application/x-www-form-urlencoded' };
  const res = await t.app.request(
    path,
    { method: 'POST', headers, body: new URLSearchParams({ _csrf: f.csrfToken, ...fields }).toString() },
    { incoming: { headers, socket: { remoteAddress: address } } },
  );
  return { status: res.status, html: await res.text(), cookies: res.headers.getSetCookie() };
}

describe('allowEach', () => {
  it('counts the attempt against every key, even once one is over its limit', () => {
    const limiter = createRateLimiter({ windowMs: 1000, max: 1, now: () => 0 });
    expect(allowEach(limiter, ['a', 'b'])).toBe(true);
    expect(allowEach(limiter, ['a', 'c'])).toBe(false);
    // `c` was counted although `a` had already refused.
    expect(allowEach(limiter, ['c'])).toBe(false);
  });
});

describe('tracking links (/suivi)', () => {
  it(`per reference: past ${TRACK_LIMIT_PER_TARGET} attempts on one reference, refused, from whatever address`, async () => {
    const reference = createReference();
    for (let i = 0; i < TRACK_LIMIT_PER_TARGET; i += 1)
      expect((await postFrom(nextAddress(), '/suivi', { reference, email: `p${i}@example.org` })).status).toBe(303);
    const refused = await postFrom(nextAddress(), '/suivi', { reference, email: 'encore@example.org' });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Trop de demandes');
    expect((await postFrom(nextAddress(), '/suivi', { reference: createReference(), email: 'encore@example.org' })).status).toBe(303);
  });

  it(`per e-mail: past ${TRACK_LIMIT_PER_TARGET} attempts with one address, refused, whatever the reference and the client`, async () => {
    const email = 'personne.suivie@example.org';
    for (let i = 0; i < TRACK_LIMIT_PER_TARGET; i += 1)
      expect((await postFrom(nextAddress(), '/suivi', { reference: createReference(), email: i % 2 ? email.toUpperCase() : email })).status).toBe(303);
    expect((await postFrom(nextAddress(), '/suivi', { reference: createReference(), email })).status).toBe(429);
  });

  it(`per client address: ${TRACK_LIMIT_PER_ADDRESS} attempts, then 429`, async () => {
    const address = nextAddress();
    for (let i = 0; i < TRACK_LIMIT_PER_ADDRESS; i += 1)
      expect((await postFrom(address, '/suivi', { reference: createReference(), email: `a${i}@example.org` })).status).toBe(303);
    expect((await postFrom(address, '/suivi', { reference: createReference(), email: 'z@example.org' })).status).toBe(429);
  });
});

describe('new drafts (POST /demande)', () => {
  it('three per allowed submission from one address in 10 minutes; going on with a draft is not a new one', async () => {
    const address = nextAddress();
    const noDraft = f.cookie().replace(/demande=[^;]*; /, '');
    let draft = '';
    for (let i = 0; i < 3 * t.deps.config.submitRateLimit; i += 1) {
      const res = await postFrom(address, '/demande', {}, noDraft);
      expect(res.status).toBe(303);
      draft = res.cookies.find((c) => c.startsWith('demande='))!.split(';')[0]!;
    }
    const refused = await postFrom(address, '/demande?lang=en', {}, noDraft);
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many requests');
    expect((await postFrom(address, '/demande', {}, `${noDraft}; ${draft}`)).status).toBe(303);
    expect((await postFrom(nextAddress(), '/demande', {}, noDraft)).status).toBe(303);
  });
});

describe('staff sign-in', () => {
  it(`per account: past ${SIGN_IN_LIMIT} attempts on one passkey’s account, refused, each from a new address`, async () => {
    const csrfOnly = f.cookie().split('; ')[0]!;
    const credentialId = randomBytes(32).toString('base64url');
    insertCredential(t.deps.database.db, {
      id: credentialId,
      userId: f.otherUserId,
      publicKey: randomBytes(65).toString('base64url'),
      counter: 0,
      name: 'Téléphone',
      createdAt: new Date().toISOString(),
    });
    const response = (id: string) =>
      JSON.stringify({
        id,
        rawId: id,
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
        clientExtensionResults: {},
      });
    for (let i = 0; i < SIGN_IN_LIMIT; i += 1)
      expect((await postFrom(nextAddress(), '/espace-pro/connexion', { challengeId: 'nope', response: response(credentialId) }, csrfOnly)).status).toBe(400);
    const refused = await postFrom(nextAddress(), '/espace-pro/connexion', { challengeId: 'nope', response: response(credentialId) }, csrfOnly);
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Trop de demandes');
    // Another passkey, unknown or someone else's, from a new address: not this account's limit.
    expect(
      (await postFrom(nextAddress(), '/espace-pro/connexion', { challengeId: 'nope', response: response(randomBytes(32).toString('base64url')) }, csrfOnly))
        .status,
    ).toBe(400);
  });
});
