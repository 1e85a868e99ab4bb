import type { Lang, TFunction } from '../../../server/i18n';
import type { PeriodResult, SkipReason } from '../../../server/domain/deadlines';
import type { Zone } from '../../../server/domain/holidays';
import { messageFor, toFormErrors, type FieldError as FieldErrorOf } from '../../../server/domain/form-errors';
import { describedBy, ErrorSummary, FieldError } from '../../components/ErrorSummary';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export type DeadlineField = 'recu' | 'mois' | 'jours' | 'calendrier';

/** What the person typed, as typed (the page shows it back on error). */
export type DeadlineValues = Record<DeadlineField, string>;

/** A form error of this page (server/domain/form-errors.ts): a full key under `tools:errors`. */
export type DeadlineFieldError = FieldErrorOf & { field: DeadlineField };

export type DeadlineOutcome = {
  result: PeriodResult;
  /** The period once extended by the GDPR's two further months (three months from receipt), for a one-month period. */
  extended: PeriodResult | null;
  /** The same computation from the JSON API. */
  jsonHref: string;
};

export type DeadlinePageProps = {
  ctx: PageContext;
  values: DeadlineValues;
  zones: readonly Zone[];
  errors?: DeadlineFieldError[];
  outcome?: DeadlineOutcome;
  /** An example address of the JSON API. */
  apiExample: string;
};

type ToolsDoc = {
  rules: { items: { text: string; source: string }[] };
  api: { params: { name: string; text: string }[] };
};

const WEEKEND: ReadonlySet<SkipReason> = new Set<SkipReason>(['saturday', 'sunday']);

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "lundi 1 juin 2026" / "Monday 1 June 2026": the weekday helps people see why a day was skipped; `weekday: false` gives "1 juin 2026". */
function longDate(lang: Lang, iso: string, weekday = true): string {
  const key = `${lang}${weekday ? ':weekday' : ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
      ...(weekday ? { weekday: 'long' } : {}),
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dateFormats.set(key, format);
  }
  return format.format(new Date(`${iso}T00:00:00Z`));
}

/**
 * Each skipped day and why, without saying a word twice: a Saturday or a Sunday with its weekday and
 * "week-end" ("samedi 30 mai 2026 : week-end"), a holiday by its name only, since names such as "lundi
 * de Pâques" or "Vendredi saint" already hold a weekday ("6 avril 2026 : lundi de Pâques, jour férié").
 */
function SkippedList({ t, lang, skipped }: { t: TFunction; lang: Lang; skipped: PeriodResult['skipped'] }) {
  return (
    <ul class="deadline-result__skipped">
      {skipped.map((s) => (
        <li>
          {WEEKEND.has(s.reason)
            ? t('tools:result.skippedWeekend', { date: longDate(lang, s.date) })
            : t('tools:result.skippedHoliday', { date: longDate(lang, s.date, false), reason: t(`tools:reasons.${s.reason}`) })}
        </li>
      ))}
    </ul>
  );
}

function Result({ t, lang, outcome }: { t: TFunction; lang: Lang; outcome: DeadlineOutcome }) {
  const { result, extended, jsonHref } = outcome;
  const due = longDate(lang, result.due);
  const period = result.months !== null ? t('tools:result.months', { count: result.months }) : t('tools:result.days', { count: result.days ?? 0 });
  return (
    <section class="deadline-result" aria-labelledby="result-title">
      <h2 id="result-title">{t('tools:result.title')}</h2>
      <p class="deadline-result__due">{extended ? t('tools:result.gdprDue', { date: due }) : t('tools:result.periodDue', { date: due })}</p>
      <ul class="deadline-result__facts">
        <li>{t('tools:result.received', { date: longDate(lang, result.received) })}</li>
        <li>{t('tools:result.period', { period })}</li>
        <li>{t('tools:result.calendar', { zone: t(`tools:zones.${result.calendar}`) })}</li>
      </ul>
      <p>{t('tools:result.endOfDay')}</p>
      {result.skipped.length > 0 ? (
        <>
          <p>{t('tools:result.skippedIntro')}</p>
          <SkippedList t={t} lang={lang} skipped={result.skipped} />
        </>
      ) : (
        <p>{t('tools:result.noneSkipped')}</p>
      )}
      {extended ? (
        <>
          <h3>{t('tools:result.extendedTitle')}</h3>
          <p>{t('tools:result.extended', { due, date: longDate(lang, extended.due) })}</p>
          {extended.skipped.length > 0 ? (
            <>
              <p>{t('tools:result.extendedSkipped')}</p>
              <SkippedList t={t} lang={lang} skipped={extended.skipped} />
            </>
          ) : null}
        </>
      ) : null}
      <p>
        <a href={jsonHref}>{t('tools:result.json')}</a>
      </p>
    </section>
  );
}

function TextField({
  t,
  name,
  label,
  hint,
  value,
  error,
  type = 'text',
  numeric,
}: {
  t: TFunction;
  name: DeadlineField;
  label: string;
  hint: string;
  value: string;
  error?: string;
  type?: 'text' | 'date';
  numeric?: boolean;
}) {
  const id = `f-${name}`;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
      <input
        type={type}
        id={id}
        name={name}
        value={value}
        class={numeric ? 'input--short' : undefined}
        inputmode={numeric ? 'numeric' : undefined}
        autocomplete="off"
        aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** The legal deadline calculator: a GET form that works without JavaScript, its result in words, the rules and their sources. */
export function DeadlinePage({ ctx, values, zones, errors = [], outcome, apiExample }: DeadlinePageProps) {
  const { tr } = ctx;
  const { t, lang } = tr;
  const doc = tr.doc<ToolsDoc>('tools');
  const errorOf = (field: DeadlineField) => messageFor(t, errors, field);
  const title = t('tools:title');
  const calendarError = errorOf('calendrier');
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={t('tools:lead')}
      hasErrors={errors.length > 0}
      breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}
    >
      <ErrorSummary t={t} title={t('tools:errors.summaryTitle')} errors={toFormErrors(t, errors)} />
      <h1>{title}</h1>
      <p class="lead">{t('tools:lead')}</p>
      {outcome ? <Result t={t} lang={lang} outcome={outcome} /> : null}
      <form class="deadline-form" method="get" action="/outils/delai" novalidate>
        <TextField
          t={t}
          name="recu"
          type="date"
          label={t('tools:form.recu.label')}
          hint={t('tools:form.recu.hint')}
          value={values.recu}
          error={errorOf('recu')}
        />
        <fieldset aria-describedby="f-period-hint">
          <legend>{t('tools:form.period.legend')}</legend>
          <p class="hint" id="f-period-hint">
            {t('tools:form.period.hint')}
          </p>
          <TextField
            t={t}
            name="mois"
            numeric
            label={t('tools:form.mois.label')}
            hint={t('tools:form.mois.hint')}
            value={values.mois}
            error={errorOf('mois')}
          />
          <TextField
            t={t}
            name="jours"
            numeric
            label={t('tools:form.jours.label')}
            hint={t('tools:form.jours.hint')}
            value={values.jours}
            error={errorOf('jours')}
          />
        </fieldset>
        <div class={calendarError ? 'field field--error' : 'field'}>
          <label for="f-calendrier">{t('tools:form.calendrier.label')}</label>
          <p class="hint" id="f-calendrier-hint">
            {t('tools:form.calendrier.hint')}
          </p>
          {calendarError ? <FieldError t={t} id="f-calendrier-error" message={calendarError} /> : null}
          <select
            id="f-calendrier"
            name="calendrier"
            aria-describedby={describedBy('f-calendrier-hint', calendarError && 'f-calendrier-error')}
            aria-invalid={calendarError ? 'true' : undefined}
          >
            {zones.map((z) => (
              <option value={z} selected={z === values.calendrier}>
                {t(`tools:zones.${z}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            {t('tools:form.submit')}
          </button>
        </div>
      </form>
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">{t('tools:rules.title')}</h2>
        {doc.rules.items.map((rule) => (
          <>
            <p>{rule.text}</p>
            <p class="source">
              <span class="source__label">{t('common:source')}</span> {rule.source}
            </p>
          </>
        ))}
      </section>
      <section aria-labelledby="api-title">
        <h2 id="api-title">{t('tools:api.title')}</h2>
        <p>{t('tools:api.body')}</p>
        <dl class="facts-list">
          {doc.api.params.map((p) => (
            <div class="fact">
              <dt>
                <code>{p.name}</code>
              </dt>
              <dd>{p.text}</dd>
            </div>
          ))}
        </dl>
        <p>{t('tools:api.answer')}</p>
        <p>
          {t('tools:api.example')}{' '}
          <a href={apiExample}>
            <code>{apiExample}</code>
          </a>
        </p>
      </section>
    </Layout>
  );
}
