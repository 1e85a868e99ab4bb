/**
 * Documents attached to a request's answer, encrypted at rest and bound to their row.
 */
import { attachmentContentContext } from '../crypto/contexts';
import type { Db } from '../db/client';
import { requestById } from '../db/requests';
import { attachmentById, insertAttachment } from '../db/staff-requests';
import type { FieldCipher } from '../crypto/fields';
import { UUID, type StaffDeps } from './staff-scope';

/** A document of this request, decrypted; undefined when it is not this request's. */
export function readDocument(
  deps: Pick<StaffDeps, 'db' | 'cipher'>,
  requestId: string,
  documentId: string,
): { filename: string; contentType: string; bytes: Buffer } | undefined {
  if (!UUID.test(documentId)) return undefined;
  const row = attachmentById(deps.db, documentId);
  if (!row || row.requestId !== requestId) return undefined;
  return {
    filename: row.filename,
    contentType: row.contentType,
    bytes: Buffer.from(deps.cipher.decrypt(row.contentEnc, attachmentContentContext(row.id)), 'base64'),
  };
}

/** Stores a checked document for a request with the timeline step it came with, encrypted; inside the caller's transaction (`db`). */
export function storeDocument(
  deps: { db: Db; cipher: FieldCipher },
  document: { id: string; requestId: string; eventId: number; filename: string; contentType: string; bytes: Uint8Array },
  createdAt: string,
): void {
  insertAttachment(deps.db, {
    id: document.id,
    requestId: document.requestId,
    eventId: document.eventId,
    filename: document.filename,
    contentType: document.contentType,
    size: document.bytes.length,
    contentEnc: deps.cipher.encrypt(Buffer.from(document.bytes).toString('base64'), attachmentContentContext(document.id)),
    createdAt,
  });
}

/** A document of the request a tracking session follows; undefined once the request is erased. */
export function trackedDocument(deps: Pick<StaffDeps, 'db' | 'cipher'>, requestId: string | undefined, documentId: string) {
  const request = requestId ? requestById(deps.db, requestId) : undefined;
  return request && !request.erasedAt ? readDocument(deps, request.id, documentId) : undefined;
}
