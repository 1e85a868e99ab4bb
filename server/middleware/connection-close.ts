/**
 * An answer given before the request's body has arrived (413 too large, a CSRF refusal, a redirect that
 * needs no form) says `Connection: close`: the client learns that the connection ends with this answer
 * and stops sending the rest of its body. Without it Node keeps the connection alive, @hono/node-server
 * drains the unread body for half a second and then destroys the socket under the client's upload: a
 * keep-alive answer followed by a reset, which can make the client lose the answer itself.
 * server/lingering-close.ts then closes such a connection in stages. Under app.request() (tests)
 * there is no socket, and nothing to do.
 */
import type { IncomingMessage } from 'node:http';
import { factory } from '../context';

export function closeUnreadBodies() {
  return factory.createMiddleware(async (c, next) => {
    await next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    // `complete`: Node has received and parsed the whole message, whether or not the app read it.
    if (incoming && !incoming.complete) c.header('Connection', 'close');
  });
}
