/**
 * The read-only API's errors as problem details (RFC 9457, `application/problem+json`): a `type` that is
 * the address of its explanation on /outils/api, a `title` and a `detail` in the reader's language, the
 * HTTP `status`, and for refused parameters an `errors` list naming each one, its place (query or
 * path), a stable code and a sentence. Zod's issues are turned into those codes here, never shown raw.
 * Pure: no I/O.
 */
import type { z } from 'zod/v4';
import type { TFunction } from '../i18n';
import type { Problem } from './v1-schemas';

export type ParameterProblem = { parameter: string; in: 'query' | 'path'; code: string; values?: Record<string, unknown> };
export type ProblemKind = 'parametres' | 'introuvable' | 'limite' | 'erreur';
const STATUS: Record<ProblemKind, number> = { parametres: 400, introuvable: 404, limite: 429, erreur: 500 };

/** What a refused parameter's zod issue means, as a code and the values its sentence names. */
export function issueProblems(issues: readonly z.core.$ZodIssue[], where: 'query' | 'path'): ParameterProblem[] {
  return issues.flatMap((issue): ParameterProblem[] => {
    const parameter = String(issue.path[0] ?? '');
    const at = (code: string, values?: Record<string, unknown>): ParameterProblem => ({ parameter, in: where, code, ...(values ? { values } : {}) });
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ parameter: key, in: where, code: 'unknown' }));
      case 'invalid_value':
        return [at('one_of', { values: issue.values.join(', ') })];
      case 'too_big':
        return [at(issue.origin === 'string' ? 'max_length' : 'max', { limit: Number(issue.maximum) })];
      case 'too_small':
        return [at(issue.origin === 'string' ? 'min_length' : 'min', { limit: Number(issue.minimum) })];
      case 'invalid_type':
        return [at(issue.expected === 'number' || issue.expected === 'int' ? 'integer' : 'invalid')];
      case 'invalid_format':
        return [at('format')];
      default:
        return [at('invalid')];
    }
  });
}

/** A problem of one of the documented kinds, its words in the reader's language. */
export function problem(t: TFunction, publicUrl: URL, kind: ProblemKind, errors: ParameterProblem[] = []): Problem {
  return {
    type: new URL(`/outils/api#probleme-${kind}`, publicUrl).href,
    title: t(`api:problems.${kind}.title`),
    status: STATUS[kind],
    detail: t(`api:problems.${kind}.detail`),
    ...(errors.length > 0
      ? {
          errors: errors.map((e) => ({
            parameter: e.parameter,
            in: e.in,
            code: e.code,
            detail: t(e.code === 'format' ? `api:errors.format.${e.parameter}` : `api:errors.${e.code}`, { parameter: e.parameter, ...e.values }),
          })),
        }
      : {}),
  };
}
