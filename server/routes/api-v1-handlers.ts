/**
 * What each operation of the read-only API answers (server/routes/api-v1.ts does the HTTP around it):
 * its input already checked by the operation's schemas, each handler calls one service and says how the
 * answer is tagged: by the register's version (a 304 then reads nothing) or, for the figures, by a hash
 * of the body.
 */
import type { ParameterProblem, ProblemKind } from '../api/problems';
import type { ProjectsQuery } from '../api/v1-schemas';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import type { FilterError } from '../domain/statistics-types';
import {
  apiOrganisation,
  apiOrganisations,
  apiProject,
  apiProjects,
  apiRegisterVersion,
  apiSource,
  apiSources,
  type PageResult,
  type ParameterError,
} from '../services/register-api';
import { apiStatisticsIndex, apiStatisticsTable, type StatisticsInput } from '../services/statistics-api';

type ApiContext = Context<AppEnv>;
type Result = { kind: 'ok'; body: object; nextCursor?: string } | { kind: 'problem'; problem: ProblemKind; errors?: ParameterProblem[] };
/** `version`: the register's, when the answer depends on nothing else; `run` builds the answer. */
export type Answer = { version?: number; run: () => Result };
type Input = { query: Record<string, unknown>; params: Record<string, unknown> };
type Handler = (c: ApiContext, input: Input) => Answer;

const ok = (body: object, nextCursor?: string): Result => ({ kind: 'ok', body, ...(nextCursor ? { nextCursor } : {}) });
const notFound: Result = { kind: 'problem', problem: 'introuvable' };
const refused = (errors: ParameterError[]): Result => ({ kind: 'problem', problem: 'parametres', errors: errors.map((e) => ({ ...e, in: 'query' as const })) });
const pageResult = <T>(r: PageResult<T>): Result => (r.ok ? ok(r.page.body, r.page.nextCursor) : refused(r.errors));
const found = (body: object | undefined): Result => (body ? ok(body) : notFound);

/** The statistics filters' errors, named by their query parameter as on /statistiques. */
const FILTER_PARAMETERS: Record<FilterError['field'], string> = { period: 'periode', kind: 'type' };

export function apiHandlers(deps: AppDeps): Record<string, Handler> {
  const register = { db: deps.database.db, publicUrl: deps.config.publicUrl, now: deps.now };
  const version = () => apiRegisterVersion(register);
  const figures = (c: ApiContext, r: { ok: true; body: object } | { ok: false; errors: FilterError[] } | undefined): Result => {
    if (!r) return notFound;
    if (r.ok) return ok(r.body);
    const { t } = c.get('tr');
    // The filters' own messages (statistics namespace), the ones the page shows.
    return {
      kind: 'problem',
      problem: 'parametres',
      errors: r.errors.map((e) => ({ parameter: FILTER_PARAMETERS[e.field], in: 'query', code: 'filter', values: { message: t(`statistics:${e.message}`) } })),
    };
  };
  const id = (input: Input) => String(input.params.id);
  return {
    listProjects: (_c, input) => ({ version: version(), run: () => pageResult(apiProjects(register, input.query as ProjectsQuery)) }),
    getProject: (_c, input) => ({ version: version(), run: () => found(apiProject(register, id(input))) }),
    listOrganisations: (_c, input) => ({ version: version(), run: () => pageResult(apiOrganisations(register, input.query as { limit: number })) }),
    getOrganisation: (_c, input) => ({ version: version(), run: () => found(apiOrganisation(register, id(input))) }),
    listSources: (_c, input) => ({ version: version(), run: () => pageResult(apiSources(register, input.query as { limit: number })) }),
    getSource: (_c, input) => ({ version: version(), run: () => found(apiSource(register, id(input))) }),
    getStatistics: (c, input) => ({ run: () => figures(c, apiStatisticsIndex(register, c.get('tr'), input.query as StatisticsInput)) }),
    getStatisticsTable: (c, input) => ({
      run: () => figures(c, apiStatisticsTable(register, c.get('tr'), String(input.params.table), input.query as StatisticsInput)),
    }),
  };
}
