/**
 * Passkeys over @simplewebauthn/server: the server half of the two WebAuthn ceremonies.
 *
 * - User verification is required in the options given to the browser and again when verifying
 *   (`requireUserVerification`): a passkey alone, without the PIN or biometric that unlocks it, is
 *   not enough. Attestation is `none`: the service does not need to know the authenticator's maker.
 * - The relying party id and the origin come from config (PUBLIC_URL), never from the request's Host
 *   header, so a request sent under another name cannot make the server expect another site.
 * - Challenges live server-side (auth_challenges) with a purpose and a 5-minute expiry; the browser
 *   only carries the row's id (a hidden form field). The row is deleted *before* the response is
 *   verified, so a challenge serves once, even when the attempt fails or two copies race.
 * - Authentication checks that the credential is known and belongs to an active person, that the
 *   user handle the authenticator returns is that person's, verifies the signature with the stored
 *   public key, then moves the signature counter with a compare-and-swap on the value read.
 * - The user handle given to authenticators is 32 random bytes (users.handle), tied to nothing about
 *   the person (W3C WebAuthn Level 3, §14.6.1 "User Handle Contents").
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { authChallenges } from '../db/schema';
import { credentialById, insertChallenge, purgeChallenges, swapCounter, takeChallenge, userById, type UserRecord } from '../db/staff';

export const CHALLENGE_MINUTES = 5;
/** How long the browser waits for the person: a little less than the challenge lives. */
const CEREMONY_TIMEOUT_MS = 4 * 60_000;
/** A registration response with attestation `none` is well under 2 KB; this bounds what is parsed. */
const MAX_RESPONSE_CHARS = 32_000;

export type WebAuthnDeps = { db: Db; config: Pick<Config, 'webauthn'>; now: () => Date };
export type ChallengeRecord = typeof authChallenges.$inferSelect;

/** Why a ceremony was refused: for the audit log, never shown to the person in this detail. */
export type RefusalReason =
  'challenge' | 'challenge_mismatch' | 'malformed' | 'unknown_credential' | 'user_disabled' | 'user_handle' | 'verification' | 'counter' | 'already_registered';

/** A credential id as the audit log may hold it: a short hash, never the id or the response. */
export const credentialIdHash = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 16);

function newChallenge(
  deps: WebAuthnDeps,
  purpose: 'register' | 'authenticate',
  challenge: string,
  extra: { userId?: string | null; invitationHash?: string | null } = {},
): string {
  const now = deps.now();
  purgeChallenges(deps.db, now.toISOString());
  const id = randomUUID();
  insertChallenge(deps.db, {
    id,
    purpose,
    challenge,
    userId: extra.userId ?? null,
    invitationHash: extra.invitationHash ?? null,
    expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString(),
  });
  return id;
}

const transportsOf = (stored: string | null): string[] | undefined => {
  if (!stored) return undefined;
  try {
    const list = JSON.parse(stored) as unknown;
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : undefined;
  } catch {
    return undefined;
  }
};

/* ---------- Registration ---------- */

export type RegistrationStart = {
  /** The authenticator's user handle (base64url of 32 bytes). */
  userHandle: string;
  /** What the authenticator shows to tell accounts apart: the person's address. */
  userName: string;
  /** The person's passkeys already known, so the same authenticator is not registered twice. */
  exclude: { id: string; transports: string | null }[];
  /**
   * Kept with the challenge and checked when the response comes back: the signed-in person adding a
   * passkey (`userId`), or the invitation being used (`invitationHash`, and in `userId` the handle the
   * new person will have, since their row is created only once the passkey is verified).
   */
  bind: { userId: string; invitationHash?: string };
};

export async function startRegistration(
  deps: WebAuthnDeps,
  input: RegistrationStart,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const options = await generateRegistrationOptions({
    rpName: deps.config.webauthn.rpName,
    rpID: deps.config.webauthn.rpId,
    userName: input.userName,
    userDisplayName: input.userName,
    userID: new Uint8Array(Buffer.from(input.userHandle, 'base64url')),
    attestationType: 'none',
    timeout: CEREMONY_TIMEOUT_MS,
    excludeCredentials: input.exclude.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
    // Sign-in asks for no name first: the passkey must be discoverable, and unlocked by the person.
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
  const challengeId = newChallenge(deps, 'register', options.challenge, { userId: input.bind.userId, invitationHash: input.bind.invitationHash });
  return { challengeId, options };
}

export type VerifiedCredential = {
  id: string;
  publicKey: string;
  counter: number;
  transports: string | null;
  deviceType: string;
  backedUp: boolean;
};

export type RegistrationResult =
  { ok: true; challenge: ChallengeRecord; credential: VerifiedCredential } | { ok: false; reason: RefusalReason; credentialIdHash?: string };

const registrationSchema = z
  .object({
    id: z.string().min(1).max(1400),
    rawId: z.string().min(1).max(1400),
    type: z.literal('public-key'),
    response: z
      .object({ clientDataJSON: z.string().min(1), attestationObject: z.string().min(1), transports: z.array(z.string().max(40)).max(10).optional() })
      .passthrough(),
    clientExtensionResults: z.record(z.unknown()).default({}),
    authenticatorAttachment: z.string().optional(),
  })
  .passthrough();

const authenticationSchema = z
  .object({
    id: z.string().min(1).max(1400),
    rawId: z.string().min(1).max(1400),
    type: z.literal('public-key'),
    response: z
      .object({ clientDataJSON: z.string().min(1), authenticatorData: z.string().min(1), signature: z.string().min(1), userHandle: z.string().optional() })
      .passthrough(),
    clientExtensionResults: z.record(z.unknown()).default({}),
    authenticatorAttachment: z.string().optional(),
  })
  .passthrough();

function parseResponse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, text: string): T | undefined {
  if (text.length === 0 || text.length > MAX_RESPONSE_CHARS) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the challenge (deleting it), checks it was issued for `bind`, then verifies the browser's
 * registration response. Storing the credential is the caller's (it goes with the invitation or the
 * signed-in person, in one transaction).
 */
export async function finishRegistration(
  deps: WebAuthnDeps,
  input: { challengeId: string; response: string; bind: { userId?: string; invitationHash?: string } },
): Promise<RegistrationResult> {
  const challenge = takeChallenge(deps.db, input.challengeId.slice(0, 64), 'register', deps.now().toISOString());
  if (!challenge) return { ok: false, reason: 'challenge' };
  const bound = input.bind.invitationHash
    ? challenge.invitationHash === input.bind.invitationHash
    : challenge.invitationHash === null && !!input.bind.userId && challenge.userId === input.bind.userId;
  if (!bound) return { ok: false, reason: 'challenge_mismatch' };
  const response = parseResponse(registrationSchema, input.response);
  if (!response) return { ok: false, reason: 'malformed' };
  const idHash = credentialIdHash(response.id);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: deps.config.webauthn.origin,
      expectedRPID: deps.config.webauthn.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, reason: 'verification', credentialIdHash: idHash };
  }
  if (!verified.verified || !verified.registrationInfo.userVerified) return { ok: false, reason: 'verification', credentialIdHash: idHash };
  const info = verified.registrationInfo;
  if (credentialById(deps.db, info.credential.id)) return { ok: false, reason: 'already_registered', credentialIdHash: idHash };
  const transports = info.credential.transports ?? response.response.transports;
  return {
    ok: true,
    challenge,
    credential: {
      id: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: transports && transports.length > 0 ? JSON.stringify(transports) : null,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    },
  };
}

/* ---------- Authentication ---------- */

/** Options for signing in: no list of credentials, the authenticator offers the person's passkeys. */
export async function startAuthentication(deps: WebAuthnDeps): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const options = await generateAuthenticationOptions({ rpID: deps.config.webauthn.rpId, userVerification: 'required', timeout: CEREMONY_TIMEOUT_MS });
  return { challengeId: newChallenge(deps, 'authenticate', options.challenge), options };
}

export type AuthenticationResult =
  { ok: true; user: UserRecord; credentialId: string } | { ok: false; reason: RefusalReason; credentialIdHash?: string; userId?: string };

/**
 * The account a sign-in attempt is for, from the credential id in the browser's response, before anything
 * is verified: what per-account rate limits count. Undefined when the response names no known passkey.
 */
export function claimedAccount(deps: Pick<WebAuthnDeps, 'db'>, response: string): string | undefined {
  const parsed = parseResponse(authenticationSchema, response);
  return parsed ? credentialById(deps.db, parsed.id)?.userId : undefined;
}

export async function finishAuthentication(deps: WebAuthnDeps, input: { challengeId: string; response: string }): Promise<AuthenticationResult> {
  const nowIso = deps.now().toISOString();
  // Taken (deleted) first: whatever follows, this challenge will not be accepted again.
  const challenge = takeChallenge(deps.db, input.challengeId.slice(0, 64), 'authenticate', nowIso);
  if (!challenge) return { ok: false, reason: 'challenge' };
  const response = parseResponse(authenticationSchema, input.response);
  if (!response) return { ok: false, reason: 'malformed' };
  const idHash = credentialIdHash(response.id);
  const credential = credentialById(deps.db, response.id);
  if (!credential) return { ok: false, reason: 'unknown_credential', credentialIdHash: idHash };
  const user = userById(deps.db, credential.userId);
  if (!user || user.disabledAt) return { ok: false, reason: 'user_disabled', credentialIdHash: idHash, userId: credential.userId };
  // The authenticator says whose passkey this is: it must be the owner on record.
  if (response.response.userHandle !== undefined && response.response.userHandle !== user.handle) {
    return { ok: false, reason: 'user_handle', credentialIdHash: idHash, userId: user.id };
  }
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: deps.config.webauthn.origin,
      expectedRPID: deps.config.webauthn.rpId,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: credential.counter,
        transports: transportsOf(credential.transports),
      },
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, reason: 'verification', credentialIdHash: idHash, userId: user.id };
  }
  if (!verified.verified || !verified.authenticationInfo.userVerified) return { ok: false, reason: 'verification', credentialIdHash: idHash, userId: user.id };
  // Compare-and-swap: only if the counter is still the one this verification was made against.
  if (!swapCounter(deps.db, credential.id, credential.counter, verified.authenticationInfo.newCounter, nowIso)) {
    return { ok: false, reason: 'counter', credentialIdHash: idHash, userId: user.id };
  }
  return { ok: true, user, credentialId: credential.id };
}
