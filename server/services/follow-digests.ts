/**
 * The digests of follows (DESIGN §13): for each confirmed follow whose day has come (daily or weekly),
 * what changed in the register since its last digest, read from the projects' public change history
 * (project_changes, written by every import, edit and harvest): new projects it covers, status steps,
 * results published, fields changed, each with its link. Nothing is sent when nothing changed; the
 * follow's place in the history moves on either way, so a change is told once.
 *
 * Each digest goes through the mail outbox (durable, retried), in the language chosen at follow time,
 * with a one-click unsubscribe (RFC 8058: `List-Unsubscribe` with an https URL and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; the outbox stores these headers encrypted, their
 * link carrying a token) and a link to the management page of every follow of the address.
 */
import type { i18n as I18n } from 'i18next';
import type { Config } from '../config';
import { followEmailContext } from '../crypto/contexts';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { changesBetween, dueFollows, latestChangeId, projectTitles, updateFollow, type FollowRecord } from '../db/follows';
import {
  DIGEST_MANAGE_LINK_MINUTES,
  DIGEST_MAX_PROJECTS,
  digestEntries,
  nextDigestAfter,
  UNSUBSCRIBE_LINK_DAYS,
  type DigestEntry,
  type HistoryChange,
} from '../domain/follows';
import { WITHDRAWN_FIELD } from '../domain/harvest';
import { translatorFor, type Lang, type Translator } from '../i18n';
import { describeTarget, projectsCovered, storedFollowTarget, targetPath } from './follow-targets';
import { newFollowLink } from './follows';
import { enqueueMail } from './mail-outbox';

export type DigestDeps = { db: Db; cipher: FieldCipher; config: Pick<Config, 'publicUrl'>; now: () => Date; i18n: I18n };

/** Follows read per transaction. */
const BATCH = 100;

/** Queues the digest of every follow that is due; returns how many were queued and how many follows were looked at. */
export async function runDueDigests(deps: DigestDeps): Promise<{ digestsQueued: number; followsChecked: number }> {
  const now = deps.now();
  // Up to the history's latest entry now: an entry written while this runs goes in the next digest.
  const upTo = latestChangeId(deps.db);
  let digestsQueued = 0;
  let followsChecked = 0;
  for (;;) {
    const due = dueFollows(deps.db, now.toISOString(), BATCH);
    if (due.length === 0) break;
    const changes = changesBetween(deps.db, Math.min(...due.map((f) => f.lastChangeId)), upTo);
    const covered = coverageCache(deps.db, changes);
    deps.db.transaction(
      (tx) => {
        for (const follow of due) {
          const own = changes.filter((c) => c.id > follow.lastChangeId);
          const ids = covered(follow, [...new Set(own.map((c) => c.projectId))]);
          const entries = digestEntries(own.filter((c) => ids.has(c.projectId)));
          if (entries.length > 0) {
            queueDigest({ ...deps, db: tx }, follow, entries);
            digestsQueued += 1;
          }
          updateFollow(tx, follow.id, {
            lastChangeId: Math.max(follow.lastChangeId, upTo),
            lastDigestAt: now.toISOString(),
            nextDigestAt: nextDigestAfter(new Date(follow.nextDigestAt!), now, follow.frequency).toISOString(),
          });
        }
      },
      { behavior: 'immediate' },
    );
    followsChecked += due.length;
    if (due.length < BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { digestsQueued, followsChecked };
}

/** Which changed projects a follow covers, computed once per target in a run (many people follow the same search). */
function coverageCache(db: Db, changes: HistoryChange[]) {
  const cache = new Map<string, Set<string>>();
  const changed = [...new Set(changes.map((c) => c.projectId))];
  return (follow: FollowRecord, ids: string[]): Set<string> => {
    if (ids.length === 0) return new Set();
    const key = `${follow.kind}:${follow.target}`;
    let all = cache.get(key);
    if (!all) cache.set(key, (all = projectsCovered(db, follow, changed)));
    return new Set(ids.filter((id) => all.has(id)));
  };
}

/** Queues one follow's digest, in the caller's transaction: the mail, its unsubscribe and management links. */
function queueDigest(deps: DigestDeps, follow: FollowRecord, entries: DigestEntry[]): void {
  const lang: Lang = follow.lang === 'en' ? 'en' : 'fr';
  const tr = translatorFor(deps.i18n, lang);
  const target = storedFollowTarget(deps.db, follow.kind, follow.target);
  const unsubscribeLink = newFollowLink(deps, 'unsubscribe', { followId: follow.id }, UNSUBSCRIBE_LINK_DAYS * 86_400_000, lang);
  const manageLink = newFollowLink(deps, 'manage', { emailIndex: follow.emailIndex }, DIGEST_MANAGE_LINK_MINUTES * 60_000, lang);
  const titles = projectTitles(
    deps.db,
    entries.map((e) => e.projectId),
  );
  const lines = entries.slice(0, DIGEST_MAX_PROJECTS).map((e) => digestLines(tr, deps.config.publicUrl, e, titles.get(e.projectId) ?? e.projectId));
  if (entries.length > DIGEST_MAX_PROJECTS) lines.push(tr.t('follow:digest.more', { count: entries.length - DIGEST_MAX_PROJECTS }));
  enqueueMail(deps.db, deps.cipher, {
    requestId: null,
    template: 'follow.digest',
    vars: {
      target: describeTarget(tr, target),
      since: tr.date(follow.lastDigestAt ?? follow.confirmedAt!),
      count: entries.length,
      lines: lines.join('\n\n'),
      targetLink: new URL(targetPath(target), deps.config.publicUrl).href,
      manageLink,
      unsubscribeLink,
    },
    now: deps.now(),
    recipient: deps.cipher.decrypt(follow.emailEnc, followEmailContext(follow.id)),
    lang,
    // RFC 8058 §3.1: an https URI in List-Unsubscribe, and List-Unsubscribe-Post with exactly this value.
    headers: { 'List-Unsubscribe': `<${unsubscribeLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
}

/** One project of a digest, in words: its title and link, then what happened to it, one line each. */
function digestLines(tr: Translator, publicUrl: URL, entry: DigestEntry, title: string): string {
  const { t } = tr;
  const status = (s: string | null) => (s ? t(`register-fields:values.statut.${s}`) : t('follow:digest.none'));
  const field = (f: string) => (f === WITHDRAWN_FIELD ? t('harvest:history.field') : t(`register-fields:fields.${f}.title`));
  const what = [
    entry.created ? t('follow:digest.created') : undefined,
    ...entry.statusSteps.map((s) => t('follow:digest.status', { from: status(s.from), to: status(s.to) })),
    entry.resultsPublished ? t('follow:digest.results') : undefined,
    entry.fields.length > 0 ? t('follow:digest.fields', { fields: entry.fields.map(field).join(', ') }) : undefined,
  ].filter((x): x is string => !!x);
  const link = new URL(`/projets/${entry.projectId}`, publicUrl).href;
  return [t('follow:digest.project', { title, link }), ...what.map((w) => `– ${w}`)].join('\n');
}
