/**
 * Closing a connection in stages (RFC 9112 §9.6, "Tear-down"), for answers that end a connection while
 * the client may still be sending (server/middleware/connection-close.ts). Node ends such a socket with
 * destroySoon(): FIN, then a full close as soon as the answer is flushed; the client's next bytes then
 * meet a closed socket, whose TCP stack answers with a reset that "might erase the client's
 * unacknowledged input buffers before they can be read" — the answer with them. Here the server
 * half-closes after the answer and goes on reading (the HTTP parser discards the rest of the body)
 * until the client closes its side, for LINGER_MS at most; only then is the socket destroyed.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export const LINGER_MS = 5_000;

export function lingerBeforeClosing(server: Server, { lingerMs = LINGER_MS }: { lingerMs?: number } = {}): void {
  server.on('connection', (socket: Socket) => {
    let lingering = false;
    socket.destroySoon = () => {
      if (lingering || socket.destroyed) return;
      lingering = true;
      // The answer, then FIN; reading goes on. When the client ends its side too, the socket closes itself.
      if (socket.writable) socket.end();
      const timer = setTimeout(() => socket.destroy(), lingerMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
  });
}
