/**
 * /espace-pro/admin/moissonnage, admins only: the remote registers read on a schedule, the form to add one,
 * each source's edit form (address, format, schedule), turning it off and on again, and "run now". Real forms: zod on the body, the same page again with an error summary (422) when it
 * does not hold, otherwise the service (with its audit entry) and a 303 to a page that says what happened.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../../context';
import { auditFor, requireRole } from '../../auth/guard';
import { formBody } from '../../http';
import type { AdminDeps, AdminError } from '../../services/admin-outcome';
import { createHarvestDeps } from '../../services/harvest';
import {
  createHarvestSource,
  harvestFormErrors,
  harvestSourceEditSchema,
  harvestSourceForm,
  harvestSourceSchema,
  harvestSourceViews,
  organisationChoices,
  runHarvestNow,
  setHarvestSourceEnabled,
  updateHarvestSourceSettings,
} from '../../services/harvest-sources';
import { pageContext } from '../render';
import { formValues } from './admin-forms';
import { HARVEST_PATH, HarvestPage, HarvestSourceEditPage } from '../../../views/pages/staff/HarvestPage';
import { allowList } from '../../../connectors/webhook';

const NOTICES = ['sourceCreated', 'updated', 'unchanged', 'disabled', 'enabled', 'applied', 'not_modified', 'failed'] as const;

export function staffHarvestRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const guard = requireRole(deps, ['admin']);
  app.use(HARVEST_PATH, guard);
  app.use(`${HARVEST_PATH}/*`, guard);
  const db = deps.database.db;
  const admin: AdminDeps = { db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now, audit: auditFor(deps) };
  const harvest = createHarvestDeps({ db, now: deps.now, i18n: deps.i18n, config: deps.config, logger: deps.logger });
  const allow = allowList(deps.config.webhookAllow);
  const actor = (c: Context<AppEnv>) => `user:${c.get('staff')!.user.id}`;

  const render = (
    c: Context<AppEnv>,
    values: Record<string, string | undefined>,
    errors: AdminError[],
    status: 200 | 404 | 422 = errors.length ? 422 : 200,
  ) => {
    const done = c.req.query('fait');
    const notice = done && (NOTICES as readonly string[]).includes(done) ? c.get('tr').t(`harvest:notices.${done}`) : undefined;
    return c.html(
      <HarvestPage
        ctx={pageContext(c)}
        sources={harvestSourceViews(db, c.get('tr'))}
        organisations={organisationChoices(db)}
        allowed={deps.config.webhookAllow}
        values={values}
        errors={errors}
        notice={notice}
      />,
      status,
    );
  };

  app.get(HARVEST_PATH, (c) => render(c, {}, []));

  app.post(HARVEST_PATH, async (c) => {
    const body = await formBody(c);
    const parsed = harvestSourceSchema(admin, allow, deps.config.webhookAllow).safeParse(body);
    if (!parsed.success) return render(c, formValues(body), harvestFormErrors(parsed.error));
    const id = createHarvestSource(admin, actor(c), parsed.data);
    return c.redirect(`${HARVEST_PATH}?fait=sourceCreated#source-${id}`, 303);
  });

  // Reads the source now and waits for the run (bounded by the fetch's timeout), then says how it went.
  app.post(`${HARVEST_PATH}/:id/lecture`, async (c) => {
    const id = c.req.param('id');
    const run = await runHarvestNow(admin, harvest, actor(c), id);
    if (!run.ok) return render(c, {}, run.errors, run.errors[0]!.key.endsWith('missing') ? 404 : 422);
    return c.redirect(`${HARVEST_PATH}?fait=${run.value.outcome}#source-${encodeURIComponent(id)}`, 303);
  });

  sourceRoutes(app, deps, admin, allow, actor);
  return app;
}

/** One source: its edit form, and turning it off or on again. */
function sourceRoutes(app: Hono<AppEnv>, deps: AppDeps, admin: AdminDeps, allow: (url: URL) => boolean, actor: (c: Context<AppEnv>) => string) {
  const editPage = (c: Context<AppEnv>, id: string, values: Record<string, string | undefined> | undefined, errors: AdminError[]) => {
    const source = harvestSourceForm(admin.db, id);
    if (!source) throw new HTTPException(404);
    return c.html(
      <HarvestSourceEditPage ctx={pageContext(c)} source={source} allowed={deps.config.webhookAllow} values={values ?? source.values} errors={errors} />,
      errors.length ? 422 : 200,
    );
  };

  app.get(`${HARVEST_PATH}/:id`, (c) => editPage(c, c.req.param('id'), undefined, []));

  app.post(`${HARVEST_PATH}/:id`, async (c) => {
    const id = c.req.param('id');
    const body = await formBody(c);
    const parsed = harvestSourceEditSchema(allow, deps.config.webhookAllow).safeParse(body);
    if (!parsed.success) return editPage(c, id, formValues(body), harvestFormErrors(parsed.error));
    const saved = updateHarvestSourceSettings(admin, actor(c), id, parsed.data);
    if (!saved.ok) throw new HTTPException(404);
    return c.redirect(`${HARVEST_PATH}?fait=${saved.value}#source-${encodeURIComponent(id)}`, 303);
  });

  for (const [path, enabled] of [
    ['desactiver', false],
    ['reactiver', true],
  ] as const) {
    app.post(`${HARVEST_PATH}/:id/${path}`, (c) => {
      const id = c.req.param('id');
      const done = setHarvestSourceEnabled(admin, actor(c), id, enabled);
      if (!done.ok) throw new HTTPException(404);
      return c.redirect(`${HARVEST_PATH}?fait=${done.value}#source-${encodeURIComponent(id)}`, 303);
    });
  }
}
