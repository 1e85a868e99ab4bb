/**
 * An answer given before the request body has arrived (413, 403 CSRF, an early redirect) ends the
 * connection properly, against the real entry point (`node --import tsx server/main.ts`) over a raw
 * socket that sends a large body slowly: the answer says `Connection: close`, the server half-closes
 * after it and goes on reading while the client is still sending, so the client gets no reset. A
 * complete request keeps its connection alive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildService, type ChildService } from '../helpers/child-service';

let service: ChildService;
let port: number;
const dataDir = mkdtempSync(join(tmpdir(), 'connection-close-'));
beforeAll(async () => {
  port = await freePort();
  service = await startChildService({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'warn', BODY_LIMIT: '65536' });
}, 60_000);
afterAll(async () => {
  service.child.kill('SIGTERM');
  await service.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

type Exchange = { status: number; headers: Record<string, string>; errors: string[]; serverEnded: boolean };

/**
 * Sends the request head and `first` bytes of its body, then, once the answer's head has come, goes on
 * sending 8 KiB every 20 ms (a browser does not stop its upload at once): `chunks` of them at most, and
 * never past the announced Content-Length; then ends. A count, not a duration: on a busy machine the
 * client may see the answer late, and what it sends after it must still fit in the server's lingering
 * time (server/lingering-close.ts, 5 s).
 */
function slowUpload(head: string, { first, chunks }: { first: number; chunks: number }): Promise<Exchange> {
  const announced = Number(/Content-Length: (\d+)/i.exec(head)?.[1]);
  let left = Math.min(chunks * 8192, announced - first);
  return new Promise((resolve) => {
    // allowHalfOpen: the client's own side stays open after the server's FIN, to go on sending as a browser may.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = '';
    let answered = false;
    let serverEnded = false;
    const errors: string[] = [];
    let pump: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      socket.write(Buffer.alloc(first, 'a'));
    });
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      if (answered || !received.includes('\r\n\r\n')) return;
      answered = true;
      pump = setInterval(() => {
        if (socket.destroyed) return clearInterval(pump);
        if (left <= 0) {
          clearInterval(pump);
          socket.end();
          return;
        }
        const size = Math.min(8192, left);
        left -= size;
        socket.write(Buffer.alloc(size, 'a'));
      }, 20);
    });
    socket.on('end', () => (serverEnded = true));
    socket.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
    socket.setTimeout(15_000, () => socket.destroy(new Error('timeout')));
    socket.on('close', () => {
      clearInterval(pump);
      const [statusLine, ...lines] = received.slice(0, received.indexOf('\r\n\r\n')).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, errors, serverEnded });
    });
  });
}

const post = (path: string, length: number, extra: string[] = []) =>
  [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/x-www-form-urlencoded', `Content-Length: ${length}`, ...extra, '', ''].join(
    '\r\n',
  );

async function csrf(): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/suivi`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, token };
}

function expectClosedProperly(x: Exchange, status: number) {
  expect(x.status).toBe(status);
  expect(x.headers.connection).toBe('close');
  expect(x.headers['keep-alive']).toBeUndefined();
  expect(x.serverEnded).toBe(true);
  expect(x.errors).toEqual([]);
}

describe('an answer before the body was read', () => {
  it('413: a body announced larger than the limit', { timeout: 30_000 }, async () => {
    expectClosedProperly(await slowUpload(post('/suivi', 10_000_000), { first: 16_384, chunks: 16 }), 413);
  });

  it('403: a cross-site form refused before its body is read', { timeout: 30_000 }, async () => {
    expectClosedProperly(await slowUpload(post('/suivi', 60_000, ['Sec-Fetch-Site: cross-site']), { first: 1024, chunks: 16 }), 403);
  });

  it('303: an early redirect (no tracking session), the CSRF token in its header', { timeout: 30_000 }, async () => {
    const { cookie, token } = await csrf();
    expectClosedProperly(await slowUpload(post('/suivi/retirer', 60_000, [`Cookie: ${cookie}`, `X-CSRF-Token: ${token}`]), { first: 1024, chunks: 16 }), 303);
  });

  it('a request whose body was read whole keeps its connection alive', async () => {
    const { cookie, token } = await csrf();
    const body = `_csrf=${encodeURIComponent(token)}`;
    // The proof that the server kept the connection: a second request on the same socket is answered.
    const heads = await new Promise<string[]>((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' });
      let received = '';
      let second = false;
      socket.on('connect', () => socket.write(post('/suivi/retirer', Buffer.byteLength(body), [`Cookie: ${cookie}`]) + body));
      socket.on('data', (d: Buffer) => {
        received += d.toString('latin1');
        const answers = received.split(/(?=HTTP\/1\.1 \d{3} )/).filter((a) => a.includes('\r\n\r\n'));
        if (answers.length === 1 && !second) {
          second = true;
          socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(received.split(/(?=HTTP\/1\.1 \d{3} )/).map((a) => a.slice(0, a.indexOf('\r\n\r\n')))));
    });
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatch(/^HTTP\/1\.1 303/);
    expect(heads[0]!.toLowerCase()).not.toContain('connection: close');
    expect(heads[1]).toMatch(/^HTTP\/1\.1 200/);
  });

  it('the service logged no error', () => {
    expect(service.output()).not.toMatch(/"level":"error"|\bat .+\(.+:\d+:\d+\)/);
  });
});
