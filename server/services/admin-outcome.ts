/**
 * What the administrators' services (staff-organisations, staff-channels, staff-users, dead-letters)
 * take and return: their deps, and a returned Outcome rather than a thrown error, whose errors are
 * form errors the pages show (the field and a locale key). Each action writes its audit entry in the
 * same transaction as the change it records.
 */
import { z } from 'zod';
import type { Config } from '../config';
import { zodErrors, type FieldError } from '../domain/form-errors';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { auditThrough, type AuditEntry, type AuditInput } from './audit';

/** Appends one audit entry (server/auth/guard.ts `auditFor`). */
export type AuditFn = (actor: string, action: string, target?: { type: string; id: string }, detail?: AuditInput['detail']) => AuditEntry;

export type AdminDeps = {
  db: Db;
  cipher: FieldCipher;
  index: BlindIndex;
  config: Pick<Config, 'publicUrl' | 'sessionSecret'>;
  now: () => Date;
  audit: AuditFn;
};

/** A validation or state error, as the views show it: the field and a full key under `staff-admin:errors` (server/domain/form-errors.ts). */
export type AdminError = FieldError;

/** The full locale key of an administrators' form error. */
export const adminKey = (key: string) => `staff-admin:errors.${key}`;
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: AdminError[] };

export const fail = <T>(field: string, key: string, values?: Record<string, string>): Outcome<T> => ({
  ok: false,
  errors: [{ field, key: adminKey(key), ...(values ? { values } : {}) }],
});

/**
 * Runs `fn` as one immediate transaction (no await inside: better-sqlite3 is synchronous). `fn` gets the
 * deps bound to the transaction: its handle as `db`, and an `audit` that writes through it, so the
 * change and its audit entry commit or roll back together. Nothing inside uses the outer handle.
 */
export function inTransaction<D extends AdminDeps, T>(deps: D, fn: (tx: D) => T): T {
  return deps.db.transaction((db) => fn({ ...deps, db, audit: auditThrough(db, deps.config.sessionSecret, deps.now) }), { behavior: 'immediate' });
}

/** zod issues to the form's errors: the first issue per field, its message being the key under `staff-admin:errors`, a custom issue's params its values. */
export function formErrors(error: z.ZodError): AdminError[] {
  return zodErrors(error, { key: (_field, message) => adminKey(message), fallbackField: 'form', customParams: true });
}

/** Text fields: trimmed, and an empty field is absent. */
export const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().max(max, 'tooLong').optional());

/**
 * An absolute http(s) URL that the destination allow-list accepts (WEBHOOK_ALLOW, connectors/webhook.ts
 * allowList), as a channel's and a harvest source's must be; `allowed` lists the patterns for the message.
 */
export function checkAllowedUrl(value: string, ctx: z.RefinementCtx, allow: (url: URL) => boolean, allowed: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'url.invalid' });
    return;
  }
  let ok = false;
  try {
    ok = (url.protocol === 'https:' || url.protocol === 'http:') && allow(url);
  } catch {
    ok = false;
  }
  if (!ok)
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: allowed.length > 0 ? 'url.notAllowed' : 'url.noneAllowed',
      params: { allowed: allowed.join(', ') },
    });
}
