/**
 * The queue's query string (`/espace-pro/demandes?statut=...`): read into the typed parameters that
 * server/services/staff-queue.ts takes, and written back for links. Empty means "any"; a value not
 * understood is reported, then left out.
 */
import { z } from 'zod';
import { normalizeReference } from '../../domain/reference';
import { KINDS } from '../../domain/rights-request';
import { COUNT_CAP, DUE_FILTERS, PAGE_SIZE, STATUS_FILTERS, type QueueParams } from '../../services/staff-queue';

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();
const PARAM_SCHEMAS = {
  statut: optionalEnum(STATUS_FILTERS as unknown as [string, ...string[]]),
  type: optionalEnum(KINDS),
  echeance: optionalEnum(DUE_FILTERS),
  organisation: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/)
    .optional(),
  // Typed by a person: any case, with or without dashes and spaces (server/domain/reference.ts).
  reference: z
    .string()
    .max(40)
    .transform((v, ctx) => normalizeReference(v) ?? (ctx.addIssue({ code: 'custom' }), z.NEVER))
    .optional(),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(COUNT_CAP / PAGE_SIZE)
    .optional(),
};

/** Reads the queue's query string; empty means "any"; a value not understood is reported, not used. */
export function parseQueueParams(get: (name: string) => string | undefined): QueueParams {
  const invalid: QueueParams['invalid'] = [];
  const read = <K extends keyof typeof PARAM_SCHEMAS>(name: K): z.infer<(typeof PARAM_SCHEMAS)[K]> | undefined => {
    const raw = get(name);
    if (raw === undefined || raw === '') return undefined;
    const parsed = PARAM_SCHEMAS[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.infer<(typeof PARAM_SCHEMAS)[K]>;
    invalid.push(name);
    return undefined;
  };
  return {
    statut: (read('statut') as QueueParams['statut'] | undefined) ?? 'a_traiter',
    type: read('type'),
    echeance: read('echeance'),
    organisation: read('organisation'),
    reference: read('reference'),
    page: read('page') ?? 1,
    invalid,
  };
}

/** The query string of a queue address (`?statut=...`), leaving out defaults. */
export function queueSearchString(p: Omit<QueueParams, 'invalid'>, overrides: Partial<Omit<QueueParams, 'invalid'>> = {}): string {
  const q = { ...p, ...overrides };
  const s = new URLSearchParams();
  if (q.statut !== 'a_traiter') s.set('statut', q.statut);
  if (q.type) s.set('type', q.type);
  if (q.echeance) s.set('echeance', q.echeance);
  if (q.organisation) s.set('organisation', q.organisation);
  if (q.reference) s.set('reference', q.reference);
  if (q.page > 1) s.set('page', String(q.page));
  const text = s.toString();
  return text ? `?${text}` : '';
}
