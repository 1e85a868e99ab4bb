/**
 * The public legal-deadline calculator (GDPR art. 12(3); Regulation 1182/71): /outils/delai, a GET form that works without
 * JavaScript, and /outils/delai.json, its read-only open API. Both read the same query parameters
 * (recu, mois or jours, calendrier) and use the one deadline engine of server/domain/deadlines.ts.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../context';
import { computePeriodEnd, gdprDeadlines, parseIsoDate, type Period, type PeriodResult } from '../domain/deadlines';
import { isZone, ZONES, type Zone } from '../domain/holidays';
import type { Translator } from '../i18n';
import { DeadlinePage, type DeadlineField, type DeadlineFieldError, type DeadlineOutcome, type DeadlineValues } from '../../views/pages/tools/DeadlinePage';
import { setHeader, send } from '../response-headers';
import type { PageContext } from '../../views/page-context';
import { createPageCache } from './page-cache';

/** Ten years at most: enough for any legal period, small enough to keep every date in the engine's range. */
export const MAX_MONTHS = 120;
export const MAX_DAYS = 3650;

const FIELDS: readonly DeadlineField[] = ['recu', 'mois', 'jours', 'calendrier'];
/** Longest typed value shown back in the form: a valid one is never longer than 10 characters. */
const MAX_ECHO = 100;
const API_EXAMPLE = '/outils/delai.json?recu=2026-04-30&mois=1&calendrier=FR';

type Query = { values: DeadlineValues; repeated: Set<DeadlineField>; submitted: boolean };
type InputError = { field: DeadlineField; code: string };
type DeadlineInput = { received: string; period: Period; zone: Zone };
type Parsed = { ok: true; input: DeadlineInput } | { ok: false; errors: InputError[] };

function readQuery(c: Context<AppEnv>): Query {
  const repeated = new Set<DeadlineField>();
  const values = {} as DeadlineValues;
  for (const field of FIELDS) {
    const all = c.req.queries(field) ?? [];
    if (all.length > 1) repeated.add(field);
    values[field] = (all[0] ?? '').trim();
  }
  // A submitted form always sends recu, even empty; a link may preset only the other fields.
  return { values, repeated, submitted: c.req.queries('recu') !== undefined };
}

/** A whole number of at least 1 and at most `max`, or the reason it is not one. */
function parseCount(v: string, max: number): number | 'not_integer' | 'too_small' | 'too_large' {
  if (!/^[-+]?\d+$/.test(v)) return 'not_integer';
  if (v.startsWith('-') || /^\+?0+$/.test(v)) return 'too_small';
  const digits = v.replace(/^\+?0*/, '');
  if (digits.length > String(max).length) return 'too_large';
  const n = Number(digits);
  return n > max ? 'too_large' : n;
}

/**
 * Validates the parameters; errors come in the order of the form's fields. An empty value counts as
 * absent (a submitted form sends every field); a parameter given twice is refused, never guessed.
 */
function parseDeadlineQuery({ values, repeated }: Query): Parsed {
  const errors: InputError[] = [];
  const fail = (field: DeadlineField, code: string) => errors.push({ field, code });
  for (const field of FIELDS) if (repeated.has(field)) fail(field, 'repeated');
  const usable = (field: DeadlineField) => !repeated.has(field) && values[field] !== '';

  const received = usable('recu') ? parseIsoDate(values.recu) : undefined;
  if (!repeated.has('recu')) {
    if (!values.recu) fail('recu', 'missing');
    else if (!received) fail('recu', 'invalid');
  }

  const count = (field: 'mois' | 'jours', max: number): number | undefined => {
    if (!usable(field)) return undefined;
    const n = parseCount(values[field], max);
    if (typeof n === 'number') return n;
    fail(field, n);
    return undefined;
  };
  const months = count('mois', MAX_MONTHS);
  const days = count('jours', MAX_DAYS);
  let period: Period | undefined;
  if (repeated.has('mois') || repeated.has('jours')) {
    // Already reported.
  } else if (!values.mois && !values.jours) {
    fail('mois', 'neither');
  } else if (values.mois && values.jours) {
    if (days !== undefined) fail('jours', 'both');
  } else if (months !== undefined) {
    period = { months };
  } else if (days !== undefined) {
    period = { days };
  }

  // Codes are upper case (ISO 3166-2); "fr-57" means the same calendar.
  const calendar = values.calendrier.toUpperCase();
  let zone: Zone = 'FR';
  if (usable('calendrier')) {
    if (isZone(calendar)) zone = calendar;
    else fail('calendrier', 'unknown');
  }

  if (errors.length > 0 || !received || !period) return { ok: false, errors: errors.sort((a, b) => FIELDS.indexOf(a.field) - FIELDS.indexOf(b.field)) };
  return { ok: true, input: { received, period, zone } };
}

/** An input error as a form error: its full key under `tools:errors` and the values its message names. */
function fieldError(tr: Translator, e: InputError): DeadlineFieldError {
  if (e.code === 'repeated') return { field: e.field, key: 'tools:errors.repeated', values: { name: e.field } };
  const max = e.field === 'mois' ? MAX_MONTHS : MAX_DAYS;
  return { field: e.field, key: `tools:errors.${e.field}.${e.code}`, values: { max: tr.number(max), zones: ZONES.join(', ') } };
}

function errorMessage(tr: Translator, e: InputError): string {
  const error = fieldError(tr, e);
  return tr.t(error.key, error.values);
}

/** The period asked for and, for one month, the GDPR extension by two further months (art. 12(3)): three months from receipt. */
function compute({ received, period, zone }: DeadlineInput): { result: PeriodResult; extended: PeriodResult | null } {
  if ('months' in period && period.months === 1) {
    const { due, extendedDue } = gdprDeadlines(received, zone);
    return { result: due, extended: extendedDue };
  }
  return { result: computePeriodEnd(received, period, zone), extended: null };
}

function apiSearch({ received, period, zone }: DeadlineInput): string {
  const params = new URLSearchParams({ recu: received });
  if ('months' in period) params.set('mois', String(period.months));
  else params.set('jours', String(period.days));
  params.set('calendrier', zone);
  return params.toString();
}

/** A read-only open API: any site may call it (no credentials, nothing personal). */
function openApi(c: Context<AppEnv>) {
  setHeader(c, 'access-control-allow-origin', '*');
  setHeader(c, 'cross-origin-resource-policy', 'cross-origin');
}

const JSON_TYPE = 'application/json';

export function toolsRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/outils/delai.json', (c) => {
    openApi(c);
    const parsed = parseDeadlineQuery(readQuery(c));
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      return send(c, JSON.stringify({ error: errorMessage(c.get('tr'), first), field: first.field }), 400, JSON_TYPE);
    }
    const { result, extended } = compute(parsed.input);
    // The answer depends only on the address (and the law): caches may keep it.
    setHeader(c, 'cache-control', 'public, max-age=3600');
    const answer = {
      received: result.received,
      calendar: result.calendar,
      months: result.months,
      days: result.days,
      due: result.due,
      extended_due: extended ? extended.due : null,
      skipped: result.skipped.map((s) => ({ date: s.date, reason: s.reason })),
    };
    return send(c, JSON.stringify(answer), 200, JSON_TYPE);
  });

  // The page depends only on its address and language: rendered once for each, served from memory.
  const cached = createPageCache();
  app.get('/outils/delai', (c) => {
    const query = readQuery(c);
    const parsed = query.submitted ? parseDeadlineQuery(query) : undefined;
    return cached(c, (ctx) => deadlinePage(ctx, query, parsed), { status: parsed && !parsed.ok ? 422 : 200 });
  });

  return app;
}

/** The calculator's page: the blank form, the form with its errors, or the result. */
function deadlinePage(ctx: PageContext, query: Query, parsed: Parsed | undefined) {
  const shown = Object.fromEntries(FIELDS.map((f) => [f, query.values[f].slice(0, MAX_ECHO)])) as DeadlineValues;
  const common = { ctx, zones: ZONES, apiExample: API_EXAMPLE };
  if (!parsed) {
    // The blank form: one month (GDPR art. 12(3)) in mainland France, unless a link presets other values.
    const values: DeadlineValues = { ...shown, mois: shown.mois || (shown.jours ? '' : '1'), calendrier: shown.calendrier.toUpperCase() || 'FR' };
    return <DeadlinePage {...common} values={values} />;
  }
  if (!parsed.ok) {
    const errors = parsed.errors.map((e) => fieldError(ctx.tr, e));
    return <DeadlinePage {...common} values={shown} errors={errors} />;
  }
  const { result, extended } = compute(parsed.input);
  const outcome: DeadlineOutcome = { result, extended, jsonHref: `/outils/delai.json?${apiSearch(parsed.input)}` };
  return <DeadlinePage {...common} values={{ ...shown, calendrier: parsed.input.zone }} outcome={outcome} />;
}
