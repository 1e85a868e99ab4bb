import Database from 'better-sqlite3';
import { ftsQuery } from '../server/db/register-search';
const db = new Database('/tmp/scale-bench/db/service.sqlite');
const time = (label: string, sql: string, ...args: unknown[]) => { const st = db.prepare(sql); st.all(...args); const t0 = performance.now(); let r; for (let i = 0; i < 5; i++) r = st.all(...args); console.log(label, ((performance.now() - t0) / 5).toFixed(1), 'ms', JSON.stringify(r).slice(0, 100)); };
db.exec('begin');
db.exec('create index tmp_cov on projects(search_rowid, statut, finalite, usage_commercial, opposition_applicable, mis_a_jour, titre_clair, id)');
db.exec('analyze');
for (const q of ['parkinson', 'cancer', 'diabète', 'hospitalisation', 'étude', 'neurolog', 'données', 'sante publique']) {
const m = ftsQuery(q)!;
const ranked = (extra = '', win = '') => `select p.id ${win} from projects p join (SELECT rowid AS search_rowid, bm25(projects_fts, 0, 10.0, 4.0, 1.0, 3.0, 2.0, 0.1) AS score FROM projects_fts WHERE projects_fts MATCH ?) matches on matches.search_rowid = p.search_rowid ${extra} order by matches.score, p.mis_a_jour desc, p.id limit 20 offset 40`;
console.log('--', q);
time('ranked', ranked(), m);
time('ranked+win', ranked('', ', count(*) over () as total'), m);
time('count', "select count(*) from projects where search_rowid in (select rowid from projects_fts where projects_fts match ?)", m);
time('ranked statut', ranked("where p.statut = 'termine'"), m);
time('recent statut', `select p.id from projects p where p.search_rowid in (select rowid from projects_fts where projects_fts match ?) and p.statut = 'termine' order by p.mis_a_jour desc, p.id limit 20`, m);
}
db.exec('rollback');
