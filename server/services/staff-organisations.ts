/**
 * Organisations, as administrators list and create them (DESIGN §7).
 */
import { count, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { organisationById, upsertOrganisation } from '../db/register';
import { organisationChannels, organisations } from '../db/schema';
import { fail, inTransaction, type AdminDeps, type Outcome } from './admin-outcome';

export type OrganisationSummary = { id: string; name: string; siren: string | null; channels: number; enabledChannels: number };

export function organisationSummaries(db: Db, page: number, pageSize: number): { total: number; rows: OrganisationSummary[] } {
  const total = db.select({ n: count() }).from(organisations).get()?.n ?? 0;
  const rows = db
    .select({
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
      channels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id})`,
      enabledChannels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id} and ${organisationChannels.enabled} = 1)`,
    })
    .from(organisations)
    .orderBy(organisations.name)
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}

export function organisationChoices(db: Db): { id: string; name: string }[] {
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name).all();
}

export const organisationSchema = z.object({
  name: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ required_error: 'name.required' }).min(1, 'name.required').max(200, 'name.tooLong')),
  id: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, 'id.invalid').optional(),
  ),
  siren: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s/g, '') : undefined), z.string().regex(/^[0-9]{9}$/, 'siren.invalid').optional()),
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
  return inTransaction(deps.db, () => {
    if (organisationById(deps.db, id)) return fail<string>('id', 'id.taken', { id });
    upsertOrganisation(deps.db, { id, name: input.name, siren: input.siren ?? null }, deps.now().toISOString());
    deps.audit(actor, 'organisation.create', { type: 'organisation', id });
    return { ok: true, value: id };
  });
}

/** One organisation, or undefined. */
export const organisationOf = (db: Db, id: string) => organisationById(db, id);
