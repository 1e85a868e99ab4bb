/**
 * Following the register by e-mail (DESIGN §13, issue 14): what can be followed, how often a digest
 * goes out, and what a digest says of the register's change history. Pure rules, no I/O.
 *
 * The consent to receive the digests is given by the person and proven by the confirmation of their
 * address (double opt-in); it can be withdrawn as easily as it was given, by one click in every mail
 * (GDPR art. 7(3); RFC 8058 for the one-click unsubscribe).
 */
import { registerSearchString, type RegisterParams } from './register-query';

export const FOLLOW_KINDS = ['project', 'organisation', 'source', 'search'] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

export const FOLLOW_FREQUENCIES = ['daily', 'weekly'] as const;
export type FollowFrequency = (typeof FOLLOW_FREQUENCIES)[number];

export const FOLLOW_TOKEN_PURPOSES = ['confirm', 'manage', 'unsubscribe'] as const;
export type FollowTokenPurpose = (typeof FOLLOW_TOKEN_PURPOSES)[number];

/** The French path segment of each kind: /suivre/projet/<id>, /suivre/recherche?q=... */
export const FOLLOW_PATHS: Record<FollowKind, string> = { project: 'projet', organisation: 'organisation', source: 'source', search: 'recherche' };

/** The address of the follow form of a target: /suivre/projet/<id>, /suivre/recherche?<filters>. */
export function followFormPath(t: { kind: FollowKind; target: string }): string {
  return t.kind === 'search' ? `/suivre/recherche${t.target ? `?${t.target}` : ''}` : `/suivre/${FOLLOW_PATHS[t.kind]}/${t.target}`;
}

const DAY_MS = 86_400_000;
export const FOLLOW_PERIOD_MS: Record<FollowFrequency, number> = { daily: DAY_MS, weekly: 7 * DAY_MS };

/**
 * An unconfirmed follow is deleted after this many days, and its confirmation link works as long: the
 * same 7 days as an unconfirmed rights request (data minimisation, GDPR art. 5(1)(c) and (e)).
 */
export const FOLLOW_CONFIRM_DAYS = 7;
/** A management link asked on /suivre/gerer works once, for this long (as /suivi's tracking links). */
export const MANAGE_LINK_MINUTES = 60;
/** The management link each digest carries: once, for a week (as the links of status mails). */
export const DIGEST_MANAGE_LINK_MINUTES = 7 * 24 * 60;
/** A digest's unsubscribe link works this long, or until its follow is stopped. */
export const UNSUBSCRIBE_LINK_DAYS = 90;
/** How long the management page stays open in a browser after its link. */
export const MANAGE_SESSION_MINUTES = 60;
/** Follows one address may hold: a bound on the digests one mailbox can be sent. */
export const MAX_FOLLOWS_PER_ADDRESS = 50;
/** Projects listed in one digest; the target's page has the rest. */
export const DIGEST_MAX_PROJECTS = 30;

/** The target of a search follow: its filters as a stable query string, without page or sort ('' for the whole register). */
export function searchTarget(params: RegisterParams): string {
  return registerSearchString({ ...params, tri: undefined, page: 1 }).replace(/^\?/, '');
}

/** The first due date after `now` on the follow's rhythm from `from` (a digest missed during downtime is not repeated). */
export function nextDigestAfter(from: Date, now: Date, frequency: FollowFrequency): Date {
  const period = FOLLOW_PERIOD_MS[frequency];
  const late = now.getTime() - from.getTime();
  const periods = late < 0 ? 1 : Math.floor(late / period) + 1;
  return new Date(from.getTime() + periods * period);
}

/** One entry of the register's history, as a digest reads it (project_changes). */
export type HistoryChange = { id: number; projectId: string; field: string; oldValue: string | null; newValue: string | null };

/** What a digest says of one project. */
export type DigestEntry = {
  projectId: string;
  /** The project entered the register (or the followed search) since the last digest. */
  created: boolean;
  /** Each change of status, in order. */
  statusSteps: { from: string | null; to: string | null }[];
  /** Results went from nothing to something (a link, a summary, a date). */
  resultsPublished: boolean;
  /** The other fields that changed, in the order of their first change. */
  fields: string[];
};

const RESULT_FIELDS = new Set(['resultats_urls', 'resultats_resume', 'date_resultats']);

/**
 * The digest of a list of history entries (oldest first): one entry per project, in the order of its
 * first change. A project created since the last digest is told as new, without the list of its fields.
 */
export function digestEntries(changes: HistoryChange[]): DigestEntry[] {
  const byProject = new Map<string, DigestEntry>();
  for (const change of changes) {
    let entry = byProject.get(change.projectId);
    if (!entry) {
      entry = { projectId: change.projectId, created: false, statusSteps: [], resultsPublished: false, fields: [] };
      byProject.set(change.projectId, entry);
    }
    if (change.field === 'creation') entry.created = true;
    else if (change.field === 'statut') entry.statusSteps.push({ from: change.oldValue, to: change.newValue });
    else if (RESULT_FIELDS.has(change.field) && !change.oldValue && change.newValue) entry.resultsPublished = true;
    else if (!entry.fields.includes(change.field)) entry.fields.push(change.field);
  }
  return [...byProject.values()].map((e) => (e.created ? { ...e, statusSteps: [], fields: [] } : e));
}
