/**
 * /comprendre/mes-donnees-dans-les-projets: "Which projects may use my data?" A GET form, so nothing is
 * stored; the answers are in the address, which the request log leaves out (server/middleware/request-log.ts
 * logs the path without its query). The page answers `no-store`: answers can say which cohort, and so
 * which illness, a person is in. Mounted before the information pages, whose /comprendre/:slug it shares.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import { myDataPage } from '../services/my-data';
import { MY_DATA_PATH, MyDataPage } from '../../views/pages/content/MyDataPage';
import { pageContext } from './render';

export function myDataRoutes(deps: Pick<AppDeps, 'database'>) {
  const app = new Hono<AppEnv>();
  app.get(MY_DATA_PATH, (c) => {
    const page = myDataPage(deps.database.db, { one: (name) => c.req.query(name), all: (name) => c.req.queries(name) ?? [] });
    c.header('Cache-Control', 'no-store');
    return c.html(<MyDataPage ctx={pageContext(c)} choices={page.choices} answers={page.answers} results={page.results} />);
  });
  return app;
}
