/**
 * /espace-pro/admin/moissonnage: the registers other controllers publish, read on a schedule. Each source
 * with its state, its last read, its latest runs and, when the last one failed, every error by line and
 * column; "run now", "edit" and "turn off" (or "turn on again"); then the form to add a source. And one
 * source's edit page. Works without JavaScript (plain forms).
 */
import { ErrorSummary } from '../../components/ErrorSummary';
import { CsrfField, Radios, TextField } from '../../components/FormFields';
import { TableRegion } from '../../components/TableRegion';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { adminCrumbs, dateTime, errorFor, Notice, SelectField, summaryItems, type AdminFormError, type FormValues } from './admin/common';

export type HarvestErrorItem = { line: number; column: string; message: string };
export type HarvestRunItem = {
  id: number;
  trigger: 'schedule' | 'admin';
  startedAt: string;
  finishedAt: string;
  outcome: 'applied' | 'not_modified' | 'failed';
  failure: string | null;
  counts: { created: number; updated: number; unchanged: number; withdrawn: number };
  errors: HarvestErrorItem[];
  errorTotal: number;
};
export type HarvestSourceItem = {
  id: string;
  organisationId: string;
  organisationName: string;
  url: string;
  format: 'csv' | 'json';
  schedule: 'hourly' | 'daily' | 'weekly';
  lastReadAt: string | null;
  nextRunAt: string;
  disabledAt: string | null;
  /** Latest first. */
  runs: HarvestRunItem[];
};

export type HarvestPageProps = {
  ctx: PageContext;
  sources: HarvestSourceItem[];
  organisations: { id: string; name: string }[];
  /** The allow-list patterns (WEBHOOK_ALLOW), shown in the URL field's hint. */
  allowed: string[];
  values: FormValues;
  errors: AdminFormError[];
  notice?: string;
};

export const HARVEST_PATH = '/espace-pro/admin/moissonnage';
const NS = 'harvest';

type T = PageContext['tr']['t'];

function runSummary(t: T, run: HarvestRunItem): string {
  if (run.outcome === 'failed') return t(`${NS}:run.failed`, { reason: run.failure ?? '' });
  if (run.outcome === 'not_modified') return t(`${NS}:run.notModified`);
  return t(`${NS}:run.applied`, run.counts);
}

function ErrorsTable({ t, id, run, format }: { t: T; id: string; run: HarvestRunItem; format: 'csv' | 'json' }) {
  return (
    <TableRegion labelledBy={`${id}-caption`}>
      <table>
        <caption id={`${id}-caption`}>
          {run.errorTotal > run.errors.length
            ? t(`${NS}:errorsTable.captionCut`, { count: run.errorTotal, shown: run.errors.length })
            : t(`${NS}:errorsTable.caption`, { count: run.errorTotal })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t(`${NS}:errorsTable.line.${format}`)}</th>
            <th scope="col">{t(`${NS}:errorsTable.column`)}</th>
            <th scope="col">{t(`${NS}:errorsTable.message`)}</th>
          </tr>
        </thead>
        <tbody>
          {run.errors.map((e) => (
            <tr>
              <td>{e.line > 0 ? e.line : '–'}</td>
              <td>{e.column ? <code>{e.column}</code> : '–'}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

function SourceSection({ ctx, source, n }: { ctx: PageContext; source: HarvestSourceItem; n: number }) {
  const { t } = ctx.tr;
  const [last, ...earlier] = source.runs;
  const name = t(`${NS}:source.name`, { n, organisation: source.organisationName });
  const facts: [string, unknown][] = [
    [t(`${NS}:source.state`), source.disabledAt ? t(`${NS}:source.disabledSince`, { date: dateTime(ctx.tr, source.disabledAt) }) : t(`${NS}:source.active`)],
    [t(`${NS}:source.url`), <code>{source.url}</code>],
    [t(`${NS}:source.format`), t(`${NS}:formats.${source.format}`)],
    [t(`${NS}:source.schedule`), t(`${NS}:schedules.${source.schedule}`)],
    [t(`${NS}:source.lastReadAt`), source.lastReadAt ? dateTime(ctx.tr, source.lastReadAt) : t(`${NS}:source.neverRead`)],
    [t(`${NS}:source.nextRunAt`), source.disabledAt ? t(`${NS}:source.noNextRun`) : dateTime(ctx.tr, source.nextRunAt)],
    [t(`${NS}:source.lastRun`), last ? `${dateTime(ctx.tr, last.finishedAt)}${t('common:separator')}${runSummary(t, last)}` : t(`${NS}:source.noRun`)],
  ];
  return (
    <section class="project-section" aria-labelledby={`source-${source.id}`}>
      <h2 id={`source-${source.id}`} tabindex={-1}>
        {name}
      </h2>
      <dl class="summary-list">
        {facts.map(([label, value]) => (
          <div class="summary-list__row">
            <dt>{label}</dt>
            <dd class="summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      {last?.outcome === 'failed' ? (
        <div class="callout callout--warning">
          <p>{t(`${NS}:source.failedNote`)}</p>
        </div>
      ) : null}
      {last && last.errors.length > 0 ? <ErrorsTable t={t} id={`errors-${source.id}`} run={last} format={source.format} /> : null}
      {earlier.length > 0 ? (
        <>
          <h3>{t(`${NS}:source.earlierRuns`)}</h3>
          <ul>
            {earlier.map((r) => (
              <li>
                {dateTime(ctx.tr, r.finishedAt)}
                {t('common:separator')}
                {runSummary(t, r)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <SourceActions ctx={ctx} source={source} name={name} />
    </section>
  );
}

/** Run now (while it is on), edit, and turn off or on again: each a real form or link, named for its source. */
function SourceActions({ ctx, source, name }: { ctx: PageContext; source: HarvestSourceItem; name: string }) {
  const { t } = ctx.tr;
  const base = `${HARVEST_PATH}/${encodeURIComponent(source.id)}`;
  const hidden = <span class="visually-hidden"> – {name}</span>;
  return (
    <div class="form-actions">
      {source.disabledAt ? null : (
        <form method="post" action={`${base}/lecture`} class="inline-form">
          <CsrfField token={ctx.csrfToken()} />
          <button type="submit" class="button button--secondary">
            {t(`${NS}:source.runNow`)}
            {hidden}
          </button>
        </form>
      )}
      <a class="button button--secondary" href={base}>
        {t(`${NS}:source.edit`)}
        {hidden}
      </a>
      <form method="post" action={`${base}/${source.disabledAt ? 'reactiver' : 'desactiver'}`} class="inline-form">
        <CsrfField token={ctx.csrfToken()} />
        <button type="submit" class="button button--secondary">
          {t(source.disabledAt ? `${NS}:source.enable` : `${NS}:source.disable`)}
          {hidden}
        </button>
      </form>
    </div>
  );
}

/** The fields the add and the edit forms share: the file's address, its format, how often it is read. */
function SourceFields({ t, allowed, values, errors }: { t: T; allowed: string[]; values: FormValues; errors: AdminFormError[] }) {
  return (
    <>
      <TextField
        t={t}
        name="url"
        label={t(`${NS}:add.url`)}
        hint={allowed.length > 0 ? t(`${NS}:add.urlHint`, { allowed: allowed.join(', ') }) : t(`${NS}:add.urlHintNone`)}
        value={values.url}
        error={errorFor(t, errors, 'url')}
        autocomplete="off"
        spellcheck={false}
      />
      <Radios
        t={t}
        name="format"
        legend={t(`${NS}:add.format`)}
        value={values.format}
        error={errorFor(t, errors, 'format')}
        options={(['csv', 'json'] as const).map((f) => ({ value: f, label: t(`${NS}:formats.${f}`) }))}
      />
      <Radios
        t={t}
        name="schedule"
        legend={t(`${NS}:add.schedule`)}
        value={values.schedule ?? 'daily'}
        error={errorFor(t, errors, 'schedule')}
        options={(['hourly', 'daily', 'weekly'] as const).map((s) => ({ value: s, label: t(`${NS}:schedules.${s}`) }))}
      />
    </>
  );
}

export type HarvestSourceEditProps = {
  ctx: PageContext;
  source: { id: string; organisationName: string; disabledAt: string | null };
  allowed: string[];
  values: FormValues;
  errors: AdminFormError[];
};

/** /espace-pro/admin/moissonnage/<id>: a source's address, format and schedule; its organisation never changes. */
export function HarvestSourceEditPage({ ctx, source, allowed, values, errors }: HarvestSourceEditProps) {
  const { t } = ctx.tr;
  const title = t(`${NS}:edit.title`, { organisation: source.organisationName });
  const crumbs = [...adminCrumbs(ctx), { href: HARVEST_PATH, label: t(`${NS}:title`) }];
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={crumbs}>
      <ErrorSummary t={t} errors={summaryItems(t, errors)} order={['url', 'format', 'schedule']} />
      <h1>{title}</h1>
      <p class="lead">{t(`${NS}:edit.lead`)}</p>
      {source.disabledAt ? (
        <div class="callout callout--warning">
          <p>{t(`${NS}:edit.disabled`, { date: dateTime(ctx.tr, source.disabledAt) })}</p>
        </div>
      ) : null}
      <form method="post" action={`${HARVEST_PATH}/${encodeURIComponent(source.id)}`} novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <SourceFields t={t} allowed={allowed} values={values} errors={errors} />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:edit.submit`)}
          </button>
          <a href={`${HARVEST_PATH}#source-${source.id}`}>{t(`${NS}:edit.cancel`)}</a>
        </div>
      </form>
    </Layout>
  );
}

export function HarvestPage({ ctx, sources, organisations, allowed, values, errors, notice }: HarvestPageProps) {
  const { t } = ctx.tr;
  const title = t(`${NS}:title`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={adminCrumbs(ctx)}>
      <ErrorSummary
        t={t}
        errors={summaryItems(t, errors, (f) => (f === 'source' ? 'sources' : f === 'organisationId' ? 'f-organisation' : `f-${f}`))}
        order={['source', 'organisationId', 'url', 'format', 'schedule']}
      />
      <h1>{title}</h1>
      <Notice message={notice} />
      <p class="lead">{t(`${NS}:lead`)}</p>
      <div id="sources" tabindex={-1}>
        {sources.length === 0 ? <p class="empty-state">{t(`${NS}:empty`)}</p> : null}
        {sources.map((s, i) => (
          <SourceSection ctx={ctx} source={s} n={i + 1} />
        ))}
      </div>

      <h2 id="ajouter">{t(`${NS}:add.title`)}</h2>
      <p>{t(`${NS}:add.lead`)}</p>
      <form method="post" action={HARVEST_PATH} novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <SelectField
          t={t}
          id="f-organisation"
          name="organisationId"
          label={t(`${NS}:add.organisation`)}
          error={errorFor(t, errors, 'organisationId')}
          value={values.organisationId}
          options={[{ value: '', label: t(`${NS}:add.organisationChoose`) }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]}
        />
        <SourceFields t={t} allowed={allowed} values={values} errors={errors} />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:add.submit`)}
          </button>
        </div>
      </form>
    </Layout>
  );
}
