/**
 * Cheap reads of request headers and cookies. Under @hono/node-server, `c.req.header()` and hono's
 * `getCookie()` build a WHATWG Headers object from Node's raw headers on first use, which costs more
 * than answering a small page; Node has already parsed the headers into a plain object, so read that.
 * Under `app.request()` (tests) there is no Node request: fall back to hono's own accessors.
 * Posted forms are read here too, by one reader that turns an unreadable body into a 400.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { BodyData, ParseBodyOptions } from 'hono/utils/body';
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

/** A body that cannot be read as the form it says it is (cut short, bad multipart framing): a 400, never a 500. */
export class MalformedBodyError extends HTTPException {
  constructor(cause: unknown) {
    super(400, { message: 'Malformed request body', cause });
  }
}

/**
 * The one reader of posted forms (url-encoded or multipart), for the CSRF check and every route: the
 * body is parsed once (hono keeps the result for later readers), and a body that does not parse is a
 * MalformedBodyError. Any other content type gives no fields.
 */
export async function readForm<const O extends Partial<ParseBodyOptions> = {}>(c: Context, options?: O): Promise<BodyData<O>> {
  try {
    return (await c.req.parseBody(options ?? {})) as BodyData<O>;
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    throw new MalformedBodyError(err);
  }
}

/** A form's text fields (files and repeated fields left out), as the routes validate them. */
export type FormBody = Record<string, string | undefined>;

export async function formBody(c: Context): Promise<FormBody> {
  const parsed = await readForm(c);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/** The client's address for rate limits: the socket's, never a header a client could forge. */
export function clientAddress(c: Context): string {
  return incoming(c)?.socket?.remoteAddress ?? 'local';
}
