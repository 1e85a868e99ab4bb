/**
 * Form errors, one way everywhere (issue 12, "one home for each rule"): a service or route says which
 * field is wrong with a FULL locale key (namespace included, e.g. `request:errors.email.required`) and
 * the values the message interpolates; the page turns these into the rendered list (`FormError`: the
 * field, the link to its input, the message in the person's language). Full keys let the i18n layer
 * check that every key exists in every language (server/i18n.ts, `strict`).
 */
import type { z } from 'zod';

/** A field and what is wrong with it: a full locale key and, optionally, the values its message interpolates. */
export type FieldError = { field: string; key: string; values?: Record<string, string | number> };

/** An error as the page renders it (views/components/ErrorSummary.tsx): a link `href` to the field and the message. */
export type FormError = { field: string; href: string; message: string };

export type ZodErrorsOptions = {
  /** The full locale key of a field's issue; the issue's message is the zod rule's short name ('required', 'tooLong'…). */
  key: (field: string, message: string) => string;
  /** The submitted values: a text too long says how long it was (`count`) beside the maximum (`max`). */
  body?: Record<string, unknown>;
  /** The field of an issue that names none (an object-level refinement). */
  fallbackField?: string;
  /** Whether a custom issue's params are interpolation values (the administrators' forms use them). */
  customParams?: boolean;
};

/** The length a person sees of what they typed: line ends counted once, outer spaces not counted. */
const shownLength = (value: unknown) =>
  String(value ?? '')
    .replace(/\r\n/g, '\n')
    .trim().length;

/** zod issues to form errors: the first issue of each field only (one message per field), in zod's order. */
export function zodErrors(error: z.ZodError, options: ZodErrorsOptions): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? options.fallbackField ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    const key = options.key(field, issue.message);
    if (issue.code === 'too_big' && issue.type === 'string' && options.body)
      errors.push({ field, key, values: { max: Number(issue.maximum), count: shownLength(options.body[field]) } });
    else if (issue.code === 'custom' && options.customParams && issue.params) errors.push({ field, key, values: issue.params as Record<string, string> });
    else errors.push({ field, key });
  }
  return errors;
}

/** The first issue of a parse, as an API reports it: the dotted path (or null) and the rule's message. */
export function firstIssue(error: z.ZodError): { field: string | null; detail: string } {
  const issue = error.issues[0]!;
  return { field: issue.path.join('.') || null, detail: issue.message };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Form errors as the page renders them: each links to its input (`#f-<field>` unless `idOf` says otherwise). */
export function toFormErrors(t: Translate, errors: readonly FieldError[], idOf: (field: string) => string = (field) => `f-${field}`): FormError[] {
  return errors.map((e) => ({ field: e.field, href: `#${idOf(e.field)}`, message: t(e.key, e.values) }));
}

/** The message of one field's error, if it has one (shown beside the input). */
export function messageFor(t: Translate, errors: readonly FieldError[], field: string): string | undefined {
  const e = errors.find((error) => error.field === field);
  return e ? t(e.key, e.values) : undefined;
}
