/**
 * The framework floor of `npm run bench` (DESIGN §10): a minimal Hono app on @hono/node-server that
 * answers one fixed HTML page (the file FLOOR_PAGE, read once), with nothing else: no middleware, no
 * headers of its own. Started with the same Node flags as `npm start`; prints `port N` once it listens.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';

const page = readFileSync(process.env.FLOOR_PAGE!, 'utf8');
const app = new Hono();
app.get('/', (c) => c.html(page));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`port ${info.port}`));
