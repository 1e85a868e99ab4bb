/**
 * Who, among staff, receives mail about an organisation's requests: the active accounts of its DPOs
 * (the CNAM's agents for the CNAM), their addresses decrypted here and only here. Used by the reminders
 * and by the notices of what a person did on a request (an answer to a question, a withdrawal).
 */
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { activeUsersWithRole, type UserRecord } from '../db/staff';
import type { Logger } from '../logger';
import { userEmail } from './staff';
import { CNAM_ID } from '../domain/routing';

export type RecipientDeps = { db: Db; cipher: FieldCipher; logger: Logger };

/** A staff account's address, or undefined when unreadable (a retired key must not stop everyone's mail). */
export function staffEmail(deps: RecipientDeps, user: UserRecord): string | undefined {
  try {
    // The one context staff addresses are encrypted with (services/staff.ts): never written twice.
    return userEmail(deps, user);
  } catch (err) {
    deps.logger.error('staff address unreadable', { userId: user.id, name: (err as Error).name });
    return undefined;
  }
}

/** One entry per address, whatever its case. */
export function uniqueAddresses(emails: (string | undefined)[]): string[] {
  return [...new Map(emails.filter((e): e is string => !!e).map((e) => [e.toLowerCase(), e])).values()];
}

/** The accounts that answer for an organisation: its DPOs, or the CNAM's agents. */
export function organisationUsers(db: Db, organisationId: string): UserRecord[] {
  return organisationId === CNAM_ID ? activeUsersWithRole(db, 'cnam') : activeUsersWithRole(db, 'dpo', organisationId);
}

/** The addresses of the accounts that answer for an organisation. */
export function organisationStaffEmails(deps: RecipientDeps, organisationId: string): string[] {
  return uniqueAddresses(organisationUsers(deps.db, organisationId).map((u) => staffEmail(deps, u)));
}
