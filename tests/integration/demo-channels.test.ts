/**
 * `npm start` on a fresh machine (issue 11): the real entry point as a child process, a new DATA_DIR, no
 * setting but the address to listen on. A person files, through the form over HTTP, a request to every
 * organisation of the demonstration data that has a channel, and a project request (a project with a
 * pseudonymised and an identifying source); each is confirmed by the link of the mail written to the
 * spool. Every delivery must then be delivered, none retried or dead, with nothing configured: the CNAM's
 * batch file, the mails in the spool, the portal, and the webhook to the service's own demonstration
 * receiver; and the tracking page says to whom the request went.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildService, type ChildService } from '../helpers/child-service';
import { waitFor } from '../helpers/wait';

let dataDir: string;
let service: ChildService;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'demo-channels-'));
  const port = await freePort();
  service = await startChildService(
    { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    { timeoutMs: 60_000 },
  );
}, 90_000);
afterAll(async () => {
  if (service?.alive()) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A visitor over real HTTP: cookies kept, forms posted with the CSRF token of the last page. */
function visitor(base: string) {
  const jar = new Map<string, string>();
  let token = '';
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const read = async (res: Response) => {
    keep(res);
    const html = await res.text();
    token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? token;
    return { status: res.status, location: res.headers.get('location'), html };
  };
  return {
    get: async (path: string) => read(await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' })),
    post: async (path: string, fields: Record<string, string>) =>
      read(
        await fetch(base + path, {
          method: 'POST',
          headers: { cookie: cookie(), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: token, ...fields }),
          redirect: 'manual',
        }),
      ),
  };
}

const NIR = '2 95 10 99 126 111 93';

/** The form, step by step, as a person fills it; returns the reference on the receipt. */
async function fileRequest(base: string, scope: Record<string, string>, email: string): Promise<string> {
  const v = visitor(base);
  await v.get('/demande');
  const steps: [string, Record<string, string>][] = [
    ['/demande', {}],
    ['/demande/type', { kind: 'acces' }],
    ['/demande/portee', scope],
    ['/demande/pour-qui', { onBehalf: 'self' }],
    ['/demande/identite', { lastName: 'Démo', firstNames: 'Camille', birthDay: '12', birthMonth: '10', birthYear: '1995', birthPlace: 'Lyon', nir: NIR }],
    ['/demande/contact', { email }],
    ['/demande/details', {}],
  ];
  for (const [path, fields] of steps) {
    if (path !== '/demande') await v.get(path);
    const res = await v.post(path, fields);
    expect(res.status, `${path}: ${res.html.slice(0, 300)}`).toBe(303);
  }
  await v.get('/demande/verifier');
  expect((await v.post('/demande/verifier', { declaration: 'oui' })).location).toBe('/demande/recu');
  const receipt = await v.get('/demande/recu');
  return /class="reference">([A-Z0-9-]+)</.exec(receipt.html)![1]!;
}

/** The spooled mail to an address whose text holds `needle`, waited for. */
function spooled(email: string, needle: string): Promise<string> {
  const dir = join(dataDir, 'mail');
  return waitFor(
    () => {
      let files: string[] = [];
      try {
        files = readdirSync(dir);
      } catch {
        // not created yet
      }
      return files
        .map((f) =>
          readFileSync(join(dir, f), 'utf8')
            .replace(/=\r?\n/g, '')
            .replace(/=3D/g, '='),
        )
        .find((m) => m.includes(`To: ${email}`) && m.includes(needle));
    },
    { intervalMs: 100, what: `a spooled mail to ${email} with ${needle}`, detail: () => service.output() },
  );
}

const linkIn = (mail: string, prefix: string) => mail.slice(mail.indexOf(prefix)).match(/^[^\s"<>]+/)![0];

describe('a fresh npm start: every demonstration channel delivers with no setting', () => {
  it(
    'delivers a request to each organisation with a channel and a mixed project request, none dead or retried; the tracking page names the recipients',
    { timeout: 180_000 },
    async () => {
      const db = new Database(join(dataDir, 'service.sqlite'), { readonly: true });
      const organisations = db.prepare('select distinct organisation_id as id from organisation_channels where enabled = 1').all() as { id: string }[];
      db.close();
      expect(organisations.length).toBeGreaterThan(5);
      const filed: { reference: string; email: string }[] = [];
      for (const [i, o] of organisations.entries()) {
        const email = `demo${i}@example.org`;
        filed.push({ reference: await fileRequest(service.url, { scope: 'responsable', organisationId: o.id }, email), email });
      }
      const projectEmail = 'demo.projet@example.org';
      const projectReference = await fileRequest(service.url, { scope: 'projet', projectId: 'ns-park' }, projectEmail);
      filed.push({ reference: projectReference, email: projectEmail });

      // Each person confirms by the link of their mail.
      for (const f of filed) {
        const mail = await spooled(f.email, f.reference);
        const v = visitor(service.url);
        const link = linkIn(mail, `${service.url}/demande/confirmer/`);
        await v.get(link.slice(service.url.length));
        const posted = await v.post(new URL(link).pathname, {});
        const done = await v.get(posted.location!);
        expect(done.html, link).toContain(f.reference);
      }

      // Every delivery delivered: none pending after its first attempt, none dead.
      let rows: { status: string; attempts: number; last_error: string | null; organisation_id: string; role: string }[] = [];
      const readRows = () => {
        const read = new Database(join(dataDir, 'service.sqlite'), { readonly: true });
        rows = read.prepare('select status, attempts, last_error, organisation_id, role from deliveries').all() as typeof rows;
        read.close();
        return rows;
      };
      await waitFor(() => readRows().length > 0 && rows.every((r) => r.status !== 'pending'), {
        timeoutMs: 90_000,
        intervalMs: 200,
        what: 'every delivery attempted',
        detail: () => JSON.stringify(rows),
      });
      expect(rows.filter((r) => r.status !== 'delivered' || r.attempts !== 1)).toEqual([]);
      const reached = new Set(rows.map((r) => r.organisation_id));
      for (const o of organisations) expect(reached.has(o.id), o.id).toBe(true);
      // The webhook went to the demonstration receiver, the CNAM's part to its batch file.
      expect(readdirSync(join(dataDir, 'demo-webhooks', 'inserm')).length).toBeGreaterThan(0);
      expect(readdirSync(join(dataDir, 'cnam', 'outbox')).some((f) => f.endsWith('.ndjson'))).toBe(true);

      // The tracking page of the project request names both recipients.
      const v = visitor(service.url);
      await v.get('/suivi');
      await v.post('/suivi', { reference: projectReference, email: projectEmail });
      const trackMail = await spooled(projectEmail, '/suivi/');
      const link = linkIn(trackMail, `${service.url}/suivi/`);
      expect((await v.get(link.slice(service.url.length))).location).toBe('/suivi/demande');
      const page = await v.get('/suivi/demande');
      expect(page.html).toContain('Caisse nationale de l’assurance maladie');
      expect(page.html).toContain('Institut national de la santé et de la recherche médicale (INSERM)');
      expect(page.html).not.toContain('Nous n’arrivons pas encore');
    },
  );
});
