/**
 * Reads a register another controller publishes: one conditional GET (If-None-Match, If-Modified-Since,
 * RFC 9110 §13.1) to a URL an administrator entered, checked by the same allow-list as webhooks before any
 * connection (connectors/webhook.ts `allowList`), with a deadline for the whole exchange and a size limit
 * on the body. Redirects are not followed (the allow-list judged this URL, not another). The body must be
 * UTF-8. Resolves, never rejects; a failure is a short code, never the body or a header's content.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type HarvestFetchOptions = {
  allow: (url: URL) => boolean;
  timeoutMs: number;
  maxBytes: number;
  etag?: string | null;
  lastModified?: string | null;
  userAgent?: string;
};

export type HarvestFailure = 'not_allowed' | 'network' | 'timeout' | 'http' | 'too_large' | 'encoding';

export type HarvestFetchResult =
  | { kind: 'ok'; body: string; etag: string | null; lastModified: string | null }
  | { kind: 'not_modified' }
  | { kind: 'failed'; failure: HarvestFailure; status?: number; detail?: string };

const DEFAULT_USER_AGENT = 'donnees-sante-droits-moissonnage/1';

function allowed(url: string, allow: (url: URL) => boolean): URL | undefined {
  try {
    const target = new URL(url);
    return (target.protocol === 'https:' || target.protocol === 'http:') && allow(target) === true ? target : undefined;
  } catch {
    return undefined;
  }
}

/** `ECONNREFUSED`, `CERT_HAS_EXPIRED`…: the code only. */
function errorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

/** A header kept to send back next time: printable ASCII only, bounded. */
function validator(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.length <= 512 && /^[\x20-\x7e]+$/.test(v) ? v : null;
}

export function fetchRegisterFile(url: string, opts: HarvestFetchOptions): Promise<HarvestFetchResult> {
  const target = allowed(url, opts.allow);
  if (!target) return Promise.resolve({ kind: 'failed', failure: 'not_allowed' });
  const headers: Record<string, string> = { accept: 'text/csv, application/json;q=0.9, */*;q=0.1', 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<HarvestFetchResult>((resolve) => {
    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (result: HarvestFetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', failure: 'timeout' }), opts.timeoutMs);
    try {
      req = send(target, { method: 'GET', agent: false, headers });
    } catch {
      return finish({ kind: 'failed', failure: 'network' });
    }
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status === 304) return finish({ kind: 'not_modified' });
      if (status !== 200) return finish({ kind: 'failed', failure: 'http', status });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxBytes) return finish({ kind: 'failed', failure: 'too_large', status });
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > opts.maxBytes) return finish({ kind: 'failed', failure: 'too_large', status });
        chunks.push(chunk);
      });
      res.on('end', () => {
        let body: string;
        try {
          body = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
        } catch {
          return finish({ kind: 'failed', failure: 'encoding', status });
        }
        finish({ kind: 'ok', body, etag: validator(res.headers.etag), lastModified: validator(res.headers['last-modified']) });
      });
      res.on('error', (err) => finish({ kind: 'failed', failure: 'network', ...(errorCode(err) ? { detail: errorCode(err) } : {}) }));
      res.on('aborted', () => finish({ kind: 'failed', failure: 'network' }));
    });
    req.on('error', (err) => finish({ kind: 'failed', failure: 'network', ...(errorCode(err) ? { detail: errorCode(err) } : {}) }));
    req.end();
  });
}
