import { readFileSync } from 'node:fs';
import { makeTestApp } from './helpers/app';
import { signedIn, staffUser } from './helpers/staff';
import { forgetViews } from '../server/services/statistics';
const dataDir = '/tmp/scale-bench/db';
const marker = JSON.parse(readFileSync(`${dataDir}/seeded.json`, 'utf8'));
const now = new Date(marker.seededAt);
const t = makeTestApp({ LOG_LEVEL: 'warn' }, { now: () => now }, { dataDir, keepDataDir: true });
const what = process.argv[2] ?? 'search';
const cnam = signedIn(t, staffUser(t, 'cnam', 'cnam', now), now);
let n = 0;
const run = async () => {
  if (what === 'search') { const r = await t.app.request(`/projets?q=parkinson${process.env.F ?? ''}&page=${++n}`); await r.text(); }
  else if (what === 'queue') { const r = await cnam.get('/espace-pro/demandes'); }
  else if (what === 'stats') { forgetViews(t.deps.database.db); const r = await t.app.request(`/statistiques?x=${++n}`); await r.text(); }
  else if (what === 'statsu') { const r = await t.app.request(`/statistiques?x=${++n}`); await r.text(); }
};
for (let i = 0; i < 3; i++) await run();
const times: number[] = [];
for (let i = 0; i < Number(process.argv[3] ?? 30); i++) { const t0 = performance.now(); await run(); times.push(performance.now() - t0); }
times.sort((a, b) => a - b);
console.log(what, 'median', times[Math.floor(times.length / 2)]!.toFixed(1), 'min', times[0]!.toFixed(1));
t.close();
