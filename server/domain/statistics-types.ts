/**
 * The contract between the statistics backend (services/statistics.ts) and the public pages
 * (issue 13). Change it only additively, and say so in a comment beside the addition.
 */
import type { TableSchema } from './table-schema';

/** A published count: its value, or suppressed because small (the page says "fewer than N"). */
export type Cell = { value: number } | { suppressed: true; below: number };
/** An on-time rate with its 95 % Wilson interval, from 10 answered requests; null under that. */
export type Rate = { share: number; low: number; high: number; answered: number } | null;
export type Period = { from: string /* YYYY-MM */; to: string /* YYYY-MM */ };
export type Filters = { period: Period; kind?: string /* a domain Kind */ };
export type MonthFigures = {
  month: string; // YYYY-MM
  frozen: boolean;
  version: number;
  correctedReason?: string;
  received: Cell;
  confirmed: Cell;
  neverConfirmed: Cell;
  withdrawn: Cell;
  answered: Cell;
  answeredOnTime: Cell;
  answeredLate: Cell;
  openPastDue: Cell;
  onTime: Rate;
};
export type AnswerFigures = {
  answered: Cell;
  onTime: Cell;
  late: Cell;
  openPastDue: Cell;
  medianDays: number | null;
  p90Days: number | null; // null when too few answers to publish
  extensions: Cell;
  extensionsToldInTime: Cell;
  refusals: { code: string; count: Cell }[];
  onTimeRate: Rate;
};
export type Breakdown = { key: string; count: Cell }[]; // key: a domain value (kind, scope, status) or an organisation id
// (added in words only: byStatus also has the key `non_confirmee`, requests deleted unconfirmed after 7 days, domain/statistics.ts EXPIRED_STATUS)
export type OrganisationFigures = { id: string; name: string; received: Cell; answers: AnswerFigures; monthly: MonthFigures[] };
export type RegisterFigures = {
  byStatus: Breakdown;
  bySource: Breakdown;
  byPurpose: Breakdown;
  commercial: Breakdown;
  aiTraining: Breakdown;
  controllers: { id: string; name: string; finished: number; resultsPublished: number; overdue18Months: number }[];
};
export type PublicFigures = {
  filters: Filters;
  computedAt: string;
  frozenThrough: string | null;
  demonstration: boolean;
  headline: { month: string; answered: Cell; onTime: Cell; rate: Rate }; // last complete month
  totals: { received: Cell; confirmed: Cell; neverConfirmed: Cell; withdrawn: Cell };
  byKind: Breakdown;
  byScope: Breakdown;
  byStatus: Breakdown;
  byOrganisation: Breakdown;
  answers: AnswerFigures;
  monthly: MonthFigures[];
  /** The months of the quarter chosen and the three before it, each from its own quarter's view (the charts). */
  history: MonthFigures[];
  organisations: OrganisationFigures[]; // every answering organisation (CNAM and each controller)
  register: RegisterFigures;
};

/**
 * The open-data tables, in the order the page links them (their rows come from openDataTables, which a
 * test checks against this list): listing them costs nothing, where building them would double the
 * page's work. (Added: moved here from routes/statistics.tsx, so that the API, server/api/v1-schemas.ts,
 * names the same tables.)
 */
export const OPEN_DATA_TABLES = ['mois', 'organisations', 'organisations-par-mois', 'refus', 'repartitions', 'registre', 'registre-responsables'] as const;

/** One open-data table as the service returns it (openDataTables). */
export type OpenDataTable = { name: string; title: string; schema: TableSchema; rows: Record<string, string | number | null>[] };

/** A filter error, keyed by the query parameter it concerns; message is an i18n key of the statistics namespace. */
export type FilterError = { field: 'kind' | 'period'; message: string };
export type ParsedFilters = { ok: true; filters: Filters } | { ok: false; errors: FilterError[] };
