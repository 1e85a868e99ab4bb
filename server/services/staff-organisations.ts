/**
 * Organisations, as administrators list and create them.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { organisationById, upsertOrganisation } from '../db/register';
export { organisationChoices, organisationSummaries, type OrganisationSummary } from '../db/staff-admin';
import { fail, inTransaction, type AdminDeps, type Outcome } from './admin-outcome';

export const organisationSchema = z.object({
  name: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ required_error: 'name.required' }).min(1, 'name.required').max(200, 'name.tooLong'),
  ),
  id: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, 'id.invalid')
      .optional(),
  ),
  siren: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s/g, '') : undefined),
    z
      .string()
      .regex(/^[0-9]{9}$/, 'siren.invalid')
      .optional(),
  ),
});
export type OrganisationInput = z.infer<typeof organisationSchema>;

/** An identifier from a name: lower case ASCII words joined by hyphens ("CHU de Lille" → "chu-de-lille"). */
function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export function createOrganisation(deps: AdminDeps, actor: string, input: OrganisationInput): Outcome<string> {
  const id = input.id ?? slugify(input.name);
  if (!id) return fail('id', 'id.invalid');
  return inTransaction(deps, (tx) => {
    if (organisationById(tx.db, id)) return fail<string>('id', 'id.taken', { id });
    upsertOrganisation(tx.db, { id, name: input.name, siren: input.siren ?? null }, tx.now().toISOString());
    tx.audit(actor, 'organisation.create', { type: 'organisation', id });
    return { ok: true, value: id };
  });
}

/** One organisation, or undefined. */
export const organisationOf = (db: Db, id: string) => organisationById(db, id);
