/**
 * /outils/api: the page that explains the read-only API to people (views/pages/tools/ApiPage.tsx). Its
 * list of addresses is the OpenAPI document's own (server/api/openapi.ts OPERATIONS), so the page names
 * what the API serves; its examples are written on the service's public address.
 */
import { Hono } from 'hono';
import { OPERATIONS } from '../api/openapi';
import type { AppDeps, AppEnv } from '../context';
import { API_PAGE_PATH, ApiPage } from '../../views/pages/tools/ApiPage';
import { pageContext } from './render';

/** The curl commands of the page, on the API's base address. */
function examples(base: string) {
  return {
    list: `curl '${base}/projets?statut=autorise&limit=5'`,
    since: `curl '${base}/projets?updated_since=2026-01-01T00:00:00Z'`,
    etag: `curl -i -H 'If-None-Match: W/"…"' '${base}/organisations/cnam'`,
    figures: `curl '${base}/statistiques/mois?periode=2026-T3'`,
  };
}

export function apiDocsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const base = new URL('/api/v1', deps.config.publicUrl).href;
  app.get(API_PAGE_PATH, (c) => {
    const ctx = pageContext(c);
    const { t } = ctx.tr;
    const operations = OPERATIONS.map((op) => ({ path: op.path, summary: t(`api:operations.${op.id}.summary`) }));
    return c.html(
      <ApiPage
        ctx={ctx}
        base={base}
        rateLimit={deps.config.apiRateLimit}
        operations={operations}
        examples={examples(base)}
        documentHref="/api/v1/openapi.json"
      />,
    );
  });
  return app;
}
