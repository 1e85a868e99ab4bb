/**
 * How the statistics pages write a figure: a count or "fewer than 5", a share with its interval or
 * "fewer than 10 answers", a month in words. One place, so the page, the organisation's page and the
 * detail page say a suppressed figure the same way.
 */
import type { Lang, Translator } from '../../../server/i18n';
import type { Cell, Period, Rate } from '../../../server/domain/statistics-types';
import { RATE_MIN_ANSWERED } from '../../../server/domain/statistics';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formats.get(key);
  if (!f) {
    f = make();
    formats.set(key, f);
  }
  return f as T;
}

const monthDate = (month: string) => new Date(`${month}-01T00:00:00Z`);

/** "novembre 2026" / "November 2026". */
export function monthLong(lang: Lang, month: string): string {
  return cached(`long:${lang}`, () => new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' })).format(monthDate(month));
}

/** "nov. 26" / "Nov 26": for a chart's axis, where room is short. */
export function monthShort(lang: Lang, month: string): string {
  return cached(`short:${lang}`, () => new Intl.DateTimeFormat(locale(lang), { month: 'short', year: '2-digit', timeZone: 'UTC' })).format(monthDate(month));
}

/** "80 %" / "80%". */
export function percent(lang: Lang, share: number): string {
  return cached(`pct:${lang}`, () => new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 })).format(share);
}

export const cellValue = (c: Cell): number | null => ('value' in c ? c.value : null);

/** A count as published: its value, or "moins de 5". */
export function cellText(tr: Translator, c: Cell): string {
  return 'value' in c ? tr.number(c.value) : tr.t('statistics:cell.below', { below: tr.number(c.below) });
}

/** Whether a missing rate is missing because of too few answers (else: withheld so as not to reveal a suppressed count). */
export function tooFewAnswers(answered: Cell): boolean {
  return !('value' in answered) || answered.value < RATE_MIN_ANSWERED;
}

/**
 * "80 % (entre 67 % et 89 %)"; with no rate, "moins de 10 réponses", or "non publiée" when there were
 * enough answers but the rate would reveal a suppressed count (statistics-suppression.ts).
 */
export function rateText(tr: Translator, r: Rate, answered: Cell): string {
  if (!r) return tooFewAnswers(answered) ? tr.t('statistics:rate.tooFew', { min: tr.number(RATE_MIN_ANSWERED) }) : tr.t('statistics:rate.withheld');
  return tr.t('statistics:rate.withInterval', { share: percent(tr.lang, r.share), low: percent(tr.lang, r.low), high: percent(tr.lang, r.high) });
}

/** "de janvier 2026 à novembre 2026" (or one month when from = to). */
export function periodText(tr: Translator, p: Period): string {
  if (p.from === p.to) return tr.t('statistics:period.one', { month: monthLong(tr.lang, p.from) });
  return tr.t('statistics:period.range', { from: monthLong(tr.lang, p.from), to: monthLong(tr.lang, p.to) });
}

/** "21 jours", or "pas publié" when too few answers. */
export function daysText(tr: Translator, days: number | null): string {
  return days === null
    ? tr.t('statistics:days.none', { min: tr.number(RATE_MIN_ANSWERED) })
    : tr.t('statistics:days.count', { count: days, formatted: tr.number(days) });
}

/**
 * The headline sentence from the on-time share: "Le mois dernier (novembre 2026), 8 demandes sur 10 ont
 * reçu leur réponse dans le délai." Rounded to the nearest tenth, except that only a share of exactly 1
 * (or 0) says "all" (or "none"): 97 % is "more than 9 in 10", 3 % "fewer than 1 in 10".
 */
export function inTenSentence(tr: Translator, share: number, month: string): string {
  const key = 'statistics:headline.rate';
  if (share >= 1) return tr.t(`${key}.all`, { month });
  if (share <= 0) return tr.t(`${key}.none`, { month });
  const tenths = Math.round(share * 10);
  if (tenths >= 10) return tr.t(`${key}.moreThan`, { month, n: 9 });
  if (tenths <= 0) return tr.t(`${key}.lessThan`, { month, n: 1 });
  return tr.t(`${key}.about`, { month, count: tenths });
}

/** "juillet à septembre 2026": a quarter written YYYY-Tn in links (short enough for the period select at 375 px; the label above says it is a quarter). */
export function quarterLabel(tr: Translator, quarter: string): string {
  return tr.t(`statistics:quarters.${quarter.slice(5)}`, { year: quarter.slice(0, 4) });
}
