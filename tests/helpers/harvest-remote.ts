/**
 * A remote register for the harvest tests: an HTTP server on 127.0.0.1 serving whatever file a test sets,
 * with an ETag (a hash of the body), answering 304 to a matching If-None-Match; it can also answer an
 * error status or answer late. Keeps the headers of every request it got.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RemoteFile = { body: string; status?: number; type?: string; delayMs?: number };
export type Remote = { origin: string; file: RemoteFile; hits: IncomingHttpHeaders[]; stop: () => Promise<void> };

export async function startRemote(): Promise<Remote> {
  const remote = { file: { body: '' }, hits: [] as IncomingHttpHeaders[] } as Remote;
  const server = createServer((req, res) => {
    remote.hits.push(req.headers);
    const { body, status = 200, type = 'text/csv; charset=utf-8', delayMs = 0 } = remote.file;
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const answer = () => {
      if (res.destroyed) return;
      if (status !== 200) return res.writeHead(status).end('no');
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': type, etag }).end(body);
    };
    if (delayMs) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  remote.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  remote.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return remote;
}
