/**
 * The person's identity and free text on a request, encrypted at rest under their own context
 * (server/crypto/contexts.ts): the one place they are written and read.
 */
import type { FieldCipher } from '../crypto/fields';
import { requestDetailsContext, requestIdentityContext } from '../crypto/contexts';
import type { Details, Identity } from '../domain/identity';

export type { Details, Identity };

export function encryptIdentity(deps: { cipher: FieldCipher }, requestId: string, identity: Identity): string {
  return deps.cipher.encrypt(JSON.stringify(identity), requestIdentityContext(requestId));
}

export function encryptDetails(deps: { cipher: FieldCipher }, requestId: string, details: Details): string {
  return deps.cipher.encrypt(JSON.stringify(details), requestDetailsContext(requestId));
}

export function decryptIdentity(deps: { cipher: FieldCipher }, r: { id: string; identityEnc: string | null }): Identity | undefined {
  if (!r.identityEnc) return undefined;
  return JSON.parse(deps.cipher.decrypt(r.identityEnc, requestIdentityContext(r.id))) as Identity;
}

export function decryptDetails(deps: { cipher: FieldCipher }, r: { id: string; detailsEnc: string | null }): Details | undefined {
  if (!r.detailsEnc) return undefined;
  return JSON.parse(deps.cipher.decrypt(r.detailsEnc, requestDetailsContext(r.id))) as Details;
}
