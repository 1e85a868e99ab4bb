import type { Translator } from '../../../../server/i18n';
import { DaysLeftBadge } from '../../../components/DaysLeftBadge';
import { ErrorSummary, FieldError, describedBy, type FormError } from '../../../components/ErrorSummary';
import { Pagination } from '../../../components/Pagination';
import { TableRegion } from '../../../components/TableRegion';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';

export type QueueItemView = {
  id: string;
  reference: string;
  kind: string;
  scope: string;
  projectTitle: string | null;
  organisationName: string | null;
  status: string;
  receivedOn: string | null;
  due: string | null;
  estimatedDue: string | null;
  extended: boolean;
  daysLeft: number | null;
  /** The person answered or withdrew since the organisation last opened the request. */
  personUpdate: string | null;
};

export type QueueResultsProps = {
  tr: Translator;
  items: QueueItemView[];
  total: number;
  /** More requests than counted: the count reads "more than". */
  capped: boolean;
  page: number;
  pages: number;
  pageHref: (page: number) => string;
  csvHref: string;
  /** Administrators see every organisation: one more column. */
  showOrganisation: boolean;
  /** An htmx swap: also updates the live region, out of band. */
  oob?: boolean;
};

export type QueueFilters = {
  values: { statut: string; type?: string; echeance?: string; organisation?: string; reference?: string };
  statuses: string[];
  kinds: readonly string[];
  dues: readonly string[];
  /** For administrators: the organisations to choose from. */
  organisations?: { id: string; name: string }[];
};

type Option = { value: string; label: string };

/** The filters in the order the form shows them; a page number not understood points at the first. */
const FILTER_ORDER = ['reference', 'statut', 'type', 'echeance', 'organisation', 'page'] as const;
/** The status filter's own words (statusFilters in the locales); every other value is a status (statuses). */
const STATUS_FILTER_WORDS = new Set(['a_traiter', 'toutes']);

function SelectField({
  t,
  name,
  label,
  value,
  options,
  error,
  anyLabel,
}: {
  t: Translator['t'];
  name: string;
  label: string;
  value?: string;
  options: Option[];
  error?: string;
  anyLabel?: string;
}) {
  const id = `f-${name}`;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
      <select id={id} name={name} aria-describedby={describedBy(error && `${id}-error`)} aria-invalid={error ? 'true' : undefined}>
        {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The count, the table, the pagination and the export link: what htmx swaps in place. */
export function QueueResults({ tr, items, total, capped, page, pages, pageHref, csvHref, showOrganisation, oob }: QueueResultsProps) {
  const { t, date } = tr;
  const countText =
    total === 0
      ? t('staff-requests:queue.none')
      : capped
        ? t('staff-requests:queue.countCapped', { count: total, formatted: tr.number(total) })
        : t('staff-requests:queue.count', { count: total, formatted: tr.number(total) });
  return (
    <>
      <p class="results-count" id="queue-count">
        <strong>{countText}</strong>
        {pages > 1 ? <span> {t('staff-requests:queue.pageOf', { page, pages })}</span> : null}
      </p>
      {capped ? <p class="muted">{t('staff-requests:queue.cappedHint', { formatted: tr.number(total) })}</p> : null}
      {items.length === 0 ? (
        total > 0 ? (
          <div class="empty-state">
            <p>{t('staff-requests:queue.pastEnd', { pages })}</p>
            <p>
              <a href={pageHref(pages)}>{t('staff-requests:queue.lastPage')}</a>
            </p>
          </div>
        ) : (
          <div class="empty-state">
            <p>{t('staff-requests:queue.noneHint')}</p>
          </div>
        )
      ) : (
        <TableRegion labelledBy="queue-caption">
          <table class="queue-table">
            <caption class="visually-hidden" id="queue-caption">
              {t('staff-requests:queue.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('staff-requests:columns.reference')}</th>
                <th scope="col">{t('staff-requests:columns.kind')}</th>
                <th scope="col">{t('staff-requests:columns.scope')}</th>
                {showOrganisation ? <th scope="col">{t('staff-requests:columns.organisation')}</th> : null}
                <th scope="col">{t('staff-requests:columns.received')}</th>
                <th scope="col">{t('staff-requests:columns.due')}</th>
                <th scope="col">{t('staff-requests:columns.daysLeft')}</th>
                <th scope="col">{t('staff-requests:columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr data-reference={r.reference}>
                  <th scope="row">
                    <a href={`/espace-pro/demandes/${r.id}`} class="reference-link">
                      {r.reference}
                    </a>
                    {r.personUpdate ? (
                      <>
                        <br />
                        <strong class="badge badge--new">{t(`staff-requests:queue.personUpdate.${r.personUpdate}`)}</strong>
                      </>
                    ) : null}
                  </th>
                  <td>{t(`staff-requests:kinds.${r.kind}`)}</td>
                  <td class="queue-table__scope">
                    {t(`staff-requests:scopes.${r.scope}`)}
                    {r.projectTitle ? (
                      <>
                        <br />
                        {/* Cut to two lines; the whole title stays in the text (read out) and shows on hover and when the row's link has focus. */}
                        <span class="clamp" lang="fr" title={r.projectTitle}>
                          {r.projectTitle}
                        </span>
                      </>
                    ) : null}
                  </td>
                  {showOrganisation ? <td lang="fr">{r.organisationName ?? '—'}</td> : null}
                  <td>
                    {r.receivedOn ? (
                      <time datetime={r.receivedOn}>{date(r.receivedOn)}</time>
                    ) : (
                      <span class="muted">{t('staff-requests:queue.notDelivered')}</span>
                    )}
                  </td>
                  <td>
                    {r.due ? (
                      <time datetime={r.due}>{date(r.due)}</time>
                    ) : r.estimatedDue ? (
                      <>
                        <time datetime={r.estimatedDue}>{date(r.estimatedDue)}</time> <span class="muted">{t('staff-requests:request.estimatedDue')}</span>
                      </>
                    ) : null}
                    {r.extended ? (
                      <>
                        <br />
                        <span class="muted">{t('staff-requests:queue.extended')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <DaysLeftBadge t={t} daysLeft={r.daysLeft} />
                  </td>
                  <td>{t(`staff-requests:statuses.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <Pagination t={t} page={page} pages={pages} href={pageHref} />
      <p>
        <a href={csvHref} download>
          {t('staff-requests:queue.csv')}
        </a>
        <span class="muted"> {t('staff-requests:queue.csvHint')}</span>
      </p>
      {oob ? (
        <div id="queue-announce" hx-swap-oob="innerHTML">
          {countText}
        </div>
      ) : null}
    </>
  );
}

export function QueuePage({
  ctx,
  title,
  lead,
  filters,
  results,
  errors,
}: {
  ctx: PageContext;
  title: string;
  lead: string;
  filters: QueueFilters;
  results: Omit<QueueResultsProps, 'tr' | 'oob'>;
  errors: FormError[];
}) {
  const { tr } = ctx;
  const { t } = tr;
  const v = filters.values;
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={[{ href: '/espace-pro', label: t('staff:nav.home') }]}>
      <ErrorSummary t={t} errors={errors} order={FILTER_ORDER} />
      <h1>{title}</h1>
      <p class="lead">{lead}</p>
      <div class="queue">
        <form
          class="register__filters queue__filters"
          method="get"
          action="/espace-pro/demandes"
          hx-get="/espace-pro/demandes"
          hx-target="#queue-results"
          hx-push-url="true"
          hx-trigger="submit, change from:select"
        >
          <fieldset>
            <legend>{t('staff-requests:filters.legend')}</legend>
            <div class={`field${errorOf('reference') ? ' field--error' : ''}`}>
              <label for="f-reference">{t('staff-requests:filters.reference')}</label>
              <p class="hint" id="f-reference-hint">
                {t('staff-requests:filters.referenceHint')}
              </p>
              {errorOf('reference') ? <FieldError t={t} id="f-reference-error" message={errorOf('reference')!} /> : null}
              <input
                type="search"
                id="f-reference"
                name="reference"
                value={v.reference ?? ''}
                autocomplete="off"
                spellcheck={false}
                class="input--medium"
                aria-describedby={describedBy('f-reference-hint', errorOf('reference') && 'f-reference-error')}
                aria-invalid={errorOf('reference') ? 'true' : undefined}
              />
            </div>
            <SelectField
              t={t}
              name="statut"
              label={t('staff-requests:filters.status')}
              value={v.statut}
              error={errorOf('statut')}
              options={filters.statuses.map((s) => ({
                value: s,
                label: STATUS_FILTER_WORDS.has(s) ? t(`staff-requests:statusFilters.${s}`) : t(`staff-requests:statuses.${s}`),
              }))}
            />
            <SelectField
              t={t}
              name="type"
              label={t('staff-requests:filters.kind')}
              value={v.type}
              error={errorOf('type')}
              anyLabel={t('staff-requests:filters.any')}
              options={filters.kinds.map((k) => ({ value: k, label: t(`staff-requests:kinds.${k}`) }))}
            />
            <SelectField
              t={t}
              name="echeance"
              label={t('staff-requests:filters.due')}
              value={v.echeance}
              error={errorOf('echeance')}
              anyLabel={t('staff-requests:filters.anyDue')}
              options={filters.dues.map((d) => ({ value: d, label: t(`staff-requests:dueFilters.${d}`) }))}
            />
            {filters.organisations ? (
              <SelectField
                t={t}
                name="organisation"
                label={t('staff-requests:filters.organisation')}
                value={v.organisation}
                error={errorOf('organisation')}
                anyLabel={t('staff-requests:filters.anyOrganisation')}
                options={filters.organisations.map((o) => ({ value: o.id, label: o.name }))}
              />
            ) : null}
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="button">
              {t('staff-requests:filters.submit')}
            </button>
            <a href="/espace-pro/demandes">{t('staff-requests:filters.reset')}</a>
          </div>
        </form>
        <section class="queue__results" aria-labelledby="queue-title">
          <h2 id="queue-title" class="visually-hidden">
            {t('staff-requests:queue.resultsTitle')}
          </h2>
          <div id="queue-announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
          <div id="queue-results">
            <QueueResults tr={tr} {...results} />
          </div>
        </section>
      </div>
    </Layout>
  );
}
