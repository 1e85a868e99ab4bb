/**
 * Following the register by e-mail, from the person's side (DESIGN §13): asking to follow (double opt-in:
 * nothing is sent but the confirmation until the address is confirmed), confirming, unsubscribing in one
 * click, and the management page of every follow of one address, opened by a one-time link sent by mail
 * (as /suivi does for requests). The address is encrypted, with a blind index; only hashes of the links'
 * tokens are stored, the tokens themselves travel only in the mails (whose variables the outbox encrypts).
 * The digests are services/follow-digests.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { Config } from '../config';
import { followEmailContext } from '../crypto/contexts';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import {
  consumeFollowToken,
  countFollowsOfAddress,
  deleteExpiredFollowTokens,
  deleteFollows,
  deleteUnconfirmedFollows,
  followById,
  followOf,
  followsOfAddress,
  insertFollow,
  insertFollowToken,
  latestChangeId,
  updateFollow,
  usableFollowToken,
  usedFollowToken,
  type FollowRecord,
} from '../db/follows';
import {
  FOLLOW_CONFIRM_DAYS,
  FOLLOW_PERIOD_MS,
  MANAGE_LINK_MINUTES,
  MAX_FOLLOWS_PER_ADDRESS,
  nextDigestAfter,
  type FollowFrequency,
  type FollowTokenPurpose,
} from '../domain/follows';
import { translatorFor, type Lang } from '../i18n';
import type { Logger } from '../logger';
import { describeTarget, storedFollowTarget, targetPath, type FollowTarget } from './follow-targets';
import { enqueueMail } from './mail-outbox';
import { hashToken } from './tracking-links';

export type FollowDeps = {
  db: Db;
  cipher: FieldCipher;
  index: BlindIndex;
  config: Pick<Config, 'publicUrl'>;
  logger: Logger;
  now: () => Date;
  i18n: I18n;
  /** Asks the mail worker to send what was queued. */ kickMail: () => void;
};

const DAY_MS = 86_400_000;
const TOKEN = /^[A-Za-z0-9_-]{40,64}$/;

/**
 * A new link of a follow (`confirm`, `unsubscribe`) or of an address (`manage`), valid `validMs`: only
 * the token's hash is stored. The link carries the language of the mail it goes in.
 */
export function newFollowLink(
  deps: Pick<FollowDeps, 'db' | 'config' | 'now'>,
  purpose: FollowTokenPurpose,
  owner: { followId: string } | { emailIndex: string },
  validMs: number,
  lang: string,
): string {
  const token = randomBytes(32).toString('base64url');
  insertFollowToken(deps.db, {
    tokenHash: hashToken(token),
    purpose,
    followId: 'followId' in owner ? owner.followId : null,
    emailIndex: 'emailIndex' in owner ? owner.emailIndex : null,
    expiresAt: new Date(deps.now().getTime() + validMs).toISOString(),
  });
  const path = { confirm: 'confirmer', manage: 'gerer', unsubscribe: 'desabonner' }[purpose];
  const url = new URL(`/suivre/${path}/${token}`, deps.config.publicUrl);
  url.searchParams.set('lang', lang === 'en' ? 'en' : 'fr');
  return url.href;
}

/* ---------- Following ---------- */

export type FollowRequest = { target: FollowTarget; email: string; frequency: FollowFrequency; lang: Lang };

/**
 * Asks to follow a target: a confirmation link by mail (7 days, once). The page answers the same
 * whatever happens, so nobody learns what an address follows: an address that already follows the
 * target gets a link to its management page instead; a new follow past the limit per address is not
 * created. Nothing is sent about the target until the address is confirmed.
 */
export function requestFollow(deps: FollowDeps, request: FollowRequest): void {
  const emailIndex = deps.index.email(request.email);
  const { kind, target } = request.target;
  const now = deps.now();
  deps.db.transaction(
    (tx) => {
      const d = { ...deps, db: tx };
      const existing = followOf(tx, emailIndex, kind, target);
      if (existing?.confirmedAt) return queueManageMail(d, request.email, emailIndex, request.lang, 'already');
      if (!existing && countFollowsOfAddress(tx, emailIndex) >= MAX_FOLLOWS_PER_ADDRESS) {
        deps.logger.warn('follow refused: too many follows for one address', { max: MAX_FOLLOWS_PER_ADDRESS });
        return;
      }
      const id = existing?.id ?? randomUUID();
      const emailEnc = deps.cipher.encrypt(request.email, followEmailContext(id));
      const fields = { emailEnc, lang: request.lang, frequency: request.frequency, createdAt: now.toISOString() };
      // Asked again before confirming: a new link, the new choices, and 7 more days.
      if (existing) updateFollow(tx, id, fields);
      else insertFollow(tx, { id, kind, target, emailIndex, ...fields });
      const link = newFollowLink(d, 'confirm', { followId: id }, FOLLOW_CONFIRM_DAYS * DAY_MS, request.lang);
      const tr = translatorFor(deps.i18n, request.lang);
      enqueueMail(tx, deps.cipher, {
        requestId: null,
        template: 'follow.confirm',
        vars: { link, days: FOLLOW_CONFIRM_DAYS, target: describeTarget(tr, request.target), frequency: tr.t(`follow:frequency.${request.frequency}`) },
        now,
        recipient: request.email,
        recipientIndex: emailIndex,
        lang: request.lang,
      });
    },
    { behavior: 'immediate' },
  );
  deps.kickMail();
}

/** A management link (once, an hour) by mail, in the caller's transaction: asked on /suivre/gerer, or on following a target again. */
function queueManageMail(deps: FollowDeps, email: string, emailIndex: string, lang: Lang, template: 'manage' | 'already'): void {
  const link = newFollowLink(deps, 'manage', { emailIndex }, MANAGE_LINK_MINUTES * 60_000, lang);
  enqueueMail(deps.db, deps.cipher, {
    requestId: null,
    template: `follow.${template}`,
    vars: { link, minutes: MANAGE_LINK_MINUTES },
    now: deps.now(),
    recipient: email,
    recipientIndex: emailIndex,
    lang,
  });
}

/* ---------- Confirming ---------- */

/** What the pages of a follow show: its target in words, the target's page, its rhythm. */
export type FollowView = { id: string; label: string; href: string; frequency: FollowFrequency; confirmed: boolean };

function viewOf(deps: Pick<FollowDeps, 'db'>, tr: ReturnType<typeof translatorFor>, follow: FollowRecord): FollowView {
  const target = storedFollowTarget(deps.db, follow.kind, follow.target);
  return { id: follow.id, label: describeTarget(tr, target), href: targetPath(target), frequency: follow.frequency, confirmed: !!follow.confirmedAt };
}

/** The follow a confirmation link would confirm, if the link still works (to show the button). */
export function followToConfirm(deps: FollowDeps, token: string, lang: Lang): FollowView | undefined {
  if (!TOKEN.test(token)) return undefined;
  const link = usableFollowToken(deps.db, hashToken(token), 'confirm', deps.now().toISOString());
  const follow = link?.followId ? followById(deps.db, link.followId) : undefined;
  return follow ? viewOf(deps, translatorFor(deps.i18n, lang), follow) : undefined;
}

/**
 * Confirms a follow, once: from now on its digests go out. The first one tells what changes after this
 * moment (the register's history up to now is behind it), on the follow's rhythm from now.
 */
export function confirmFollow(deps: FollowDeps, token: string): boolean {
  if (!TOKEN.test(token)) return false;
  const now = deps.now();
  return deps.db.transaction(
    (tx) => {
      const link = consumeFollowToken(tx, hashToken(token), 'confirm', now.toISOString());
      const follow = link?.followId ? followById(tx, link.followId) : undefined;
      if (!follow) return false;
      if (!follow.confirmedAt)
        updateFollow(tx, follow.id, {
          confirmedAt: now.toISOString(),
          lastChangeId: latestChangeId(tx),
          nextDigestAt: new Date(now.getTime() + FOLLOW_PERIOD_MS[follow.frequency]).toISOString(),
        });
      return true;
    },
    { behavior: 'immediate' },
  );
}

/** The follow a confirmation link confirmed in the last hour: the page after the confirmation. */
export function confirmedFollow(deps: FollowDeps, token: string, lang: Lang): FollowView | undefined {
  if (!TOKEN.test(token)) return undefined;
  const link = usedFollowToken(deps.db, hashToken(token), 'confirm', new Date(deps.now().getTime() - 3_600_000).toISOString());
  const follow = link?.followId ? followById(deps.db, link.followId) : undefined;
  return follow?.confirmedAt ? viewOf(deps, translatorFor(deps.i18n, lang), follow) : undefined;
}

/* ---------- Unsubscribing ---------- */

/** The follow an unsubscribe link stops, if the link still works (the page with its button). */
export function followToStop(deps: FollowDeps, token: string, lang: Lang): FollowView | undefined {
  if (!TOKEN.test(token)) return undefined;
  const link = usableFollowToken(deps.db, hashToken(token), 'unsubscribe', deps.now().toISOString());
  const follow = link?.followId ? followById(deps.db, link.followId) : undefined;
  return follow ? viewOf(deps, translatorFor(deps.i18n, lang), follow) : undefined;
}

/**
 * Stops the follow of an unsubscribe link (RFC 8058 one-click: the POST alone is enough): its row and
 * its links are deleted, nothing of the address stays. Returns what was followed, in words.
 */
export function unsubscribe(deps: FollowDeps, token: string, lang: Lang): FollowView | undefined {
  const follow = followToStop(deps, token, lang);
  if (!follow) return undefined;
  deps.db.transaction((tx) => deleteFollows(tx, [follow.id]), { behavior: 'immediate' });
  return follow;
}

/* ---------- Managing every follow of an address ---------- */

/** Sends a management link when the address follows something; the caller answers the same either way. */
export function requestManageLink(deps: FollowDeps, email: string, lang: Lang): void {
  const emailIndex = deps.index.email(email);
  if (countFollowsOfAddress(deps.db, emailIndex) === 0) return;
  deps.db.transaction((tx) => queueManageMail({ ...deps, db: tx }, email, emailIndex, lang, 'manage'), { behavior: 'immediate' });
  deps.kickMail();
}

export function manageLinkIsUsable(deps: FollowDeps, token: string): boolean {
  return TOKEN.test(token) && !!usableFollowToken(deps.db, hashToken(token), 'manage', deps.now().toISOString());
}

/** Uses a management link, once: the blind index of the address whose follows it opens. */
export function openManageLink(deps: FollowDeps, token: string): string | undefined {
  if (!TOKEN.test(token)) return undefined;
  const link = deps.db.transaction((tx) => consumeFollowToken(tx, hashToken(token), 'manage', deps.now().toISOString()), { behavior: 'immediate' });
  return link?.emailIndex ?? undefined;
}

/** Every follow of the address, as its management page lists them. */
export function followsOf(deps: FollowDeps, emailIndex: string, lang: Lang): FollowView[] {
  const tr = translatorFor(deps.i18n, lang);
  return followsOfAddress(deps.db, emailIndex).map((f) => viewOf(deps, tr, f));
}

/** The follow, if it belongs to the address (any other id is as if it did not exist). */
function ownFollow(db: Db, emailIndex: string, id: string): FollowRecord | undefined {
  const follow = followById(db, id);
  return follow && follow.emailIndex === emailIndex ? follow : undefined;
}

/** Changes a follow's rhythm; its next digest follows the new one from the last (or the confirmation). */
export function changeFrequency(deps: FollowDeps, emailIndex: string, id: string, frequency: FollowFrequency): boolean {
  return deps.db.transaction(
    (tx) => {
      const follow = ownFollow(tx, emailIndex, id);
      if (!follow) return false;
      const from = follow.lastDigestAt ?? follow.confirmedAt;
      const nextDigestAt = from ? nextDigestAfter(new Date(from), deps.now(), frequency).toISOString() : null;
      updateFollow(tx, id, { frequency, nextDigestAt });
      return true;
    },
    { behavior: 'immediate' },
  );
}

/** Stops one follow of the address, or every one; returns how many were stopped. */
export function stopFollows(deps: FollowDeps, emailIndex: string, id: string | 'all'): number {
  return deps.db.transaction(
    (tx) => {
      const ids = id === 'all' ? followsOfAddress(tx, emailIndex).map((f) => f.id) : [ownFollow(tx, emailIndex, id)?.id].filter((x): x is string => !!x);
      return deleteFollows(tx, ids);
    },
    { behavior: 'immediate' },
  );
}

/* ---------- Housekeeping ---------- */

/**
 * Deletes the follows left unconfirmed for 7 days (their address with them) and the links that expired:
 * data minimisation and storage limitation (GDPR art. 5(1)(c) and (e)). Idempotent.
 */
export function purgeFollows(deps: Pick<FollowDeps, 'db' | 'now'>): { followsDeleted: number; followLinksDeleted: number } {
  const now = deps.now();
  return deps.db.transaction(
    (tx) => ({
      followsDeleted: deleteUnconfirmedFollows(tx, new Date(now.getTime() - FOLLOW_CONFIRM_DAYS * DAY_MS).toISOString()),
      followLinksDeleted: deleteExpiredFollowTokens(tx, now.toISOString()),
    }),
    { behavior: 'immediate' },
  );
}
