/**
 * Cheap reads of request headers and cookies. Under @hono/node-server, `c.req.header()` and hono's
 * `getCookie()` build a WHATWG Headers object from Node's raw headers on first use, which costs more
 * than answering a small page; Node has already parsed the headers into a plain object, so read that.
 * Under `app.request()` (tests) there is no Node request: fall back to hono's own accessors.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { parse } from 'hono/utils/cookie';

function incoming(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** One request header, by its name in lower case. */
export function header(c: Context, name: string): string | undefined {
  const req = incoming(c);
  if (!req) return c.req.header(name);
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** One cookie's value, or undefined. */
export function cookie(c: Context, name: string): string | undefined {
  const raw = header(c, 'cookie');
  if (!raw || !raw.includes(name)) return undefined;
  return parse(raw, name)[name];
}

/** A form's text fields (files and repeated fields left out), as the routes validate them. */
export type FormBody = Record<string, string | undefined>;

export async function formBody(c: Context): Promise<FormBody> {
  const parsed = await c.req.parseBody();
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/** The client's address for rate limits: the socket's, never a header a client could forge. */
export function clientAddress(c: Context): string {
  return incoming(c)?.socket?.remoteAddress ?? 'local';
}
