/**
 * Field-level encryption of identity data, and blind indexes for lookup.
 *
 * Identity fields (name, NIR, e-mail, address…) are encrypted at rest with AES-256-GCM, as a technical
 * measure of security of processing under GDPR art. 32: a copy of the database file, a backup or a
 * stray export does not reveal who made a request without the data keys, which live outside the database.
 *
 * Stored format (ASCII, self-describing, versioned):
 *
 *     v1.<keyId>.<base64url iv>.<base64url ciphertext||tag>
 *
 * - iv: 12 random bytes per value (never reused with a key: a GCM nonce reuse would leak the XOR of two
 *   plaintexts and allow forgeries).
 * - tag: the 16-byte GCM authentication tag, appended to the ciphertext.
 * - additional authenticated data: `v1|<keyId>|<table>|<column>|<rowId>`. It binds the value to where it
 *   is stored, so a value copied to another row, column or table (e.g. someone else's request) does not
 *   decrypt; and to its key id and format version, so neither can be swapped. Components are escaped
 *   (`\` → `\\`, `|` → `\|`) so two different contexts never give the same additional data; ordinary
 *   identifiers are unchanged by the escaping.
 * - keyId: which data key encrypted the value, so keys can rotate: the first configured key
 *   encrypts, every configured key decrypts, and `needsRotation` / `reencrypt` let a job move old values
 *   to the current key before an old key is retired.
 *
 * node:crypto only; no dependency.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { DataKey } from '../config';

/** Where an encrypted value lives; authenticated with it. */
export type FieldContext = { table: string; column: string; rowId: string };

/**
 * A stored value could not be decrypted: malformed, unknown key id, wrong context or tampered with.
 * The message never contains the plaintext, the stored value or any key material.
 */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export type FieldCipher = {
  /** Encrypts `plaintext` under the current key, bound to `ctx`. */
  encrypt(plaintext: string, ctx: FieldContext): string;
  /** Decrypts a stored value with the key named in it; throws DecryptionError on any failure. */
  decrypt(stored: string, ctx: FieldContext): string;
  /** True when the value was encrypted under a key other than the current one (throws DecryptionError if malformed). */
  needsRotation(stored: string): boolean;
  /** Decrypts with the value's key and encrypts again under the current key (new IV). */
  reencrypt(stored: string, ctx: FieldContext): string;
  /** The id of the key new values are encrypted with (the first configured key). */
  currentKeyId: string;
};

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids appear in the stored string and in the additional data: no '.' or '|' allowed. */
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** With the `u` flag, a surrogate pair is one code point: this matches only lone (ill-formed) surrogates. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

type ParsedValue = { keyId: string; iv: Buffer; sealed: Buffer };

export function createFieldCipher(keys: DataKey[]): FieldCipher {
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('createFieldCipher: at least one data key is needed.');
  const byId = new Map<string, KeyObject>();
  for (const k of keys) {
    if (typeof k.id !== 'string' || !KEY_ID.test(k.id)) {
      throw new Error('createFieldCipher: a key id must be 1 to 64 letters, digits, "_" or "-".');
    }
    if (!Buffer.isBuffer(k.key) || k.key.length !== KEY_BYTES) {
      throw new Error(`createFieldCipher: the key "${k.id}" must be ${KEY_BYTES} bytes (AES-256).`);
    }
    if (byId.has(k.id)) throw new Error(`createFieldCipher: two keys share the id "${k.id}".`);
    // A KeyObject copies the bytes: later changes to the caller's Buffer do not affect the cipher.
    byId.set(k.id, createSecretKey(k.key));
  }
  const current = keys[0]!;
  const currentKey = byId.get(current.id)!;

  function encrypt(plaintext: string, ctx: FieldContext): string {
    if (typeof plaintext !== 'string') throw new TypeError('encrypt: the plaintext must be a string.');
    // A lone surrogate would be silently replaced by U+FFFD when encoded: refuse rather than corrupt.
    if (LONE_SURROGATE.test(plaintext)) throw new TypeError('encrypt: the plaintext is not well-formed Unicode.');
    checkContext(ctx, TypeError);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(current.id, ctx));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${current.id}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  function decrypt(stored: string, ctx: FieldContext): string {
    checkContext(ctx, DecryptionError);
    const { keyId, iv, sealed } = parse(stored);
    const key = byId.get(keyId);
    if (!key) throw new DecryptionError(`Cannot decrypt: unknown key id "${keyId}".`);
    const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    try {
      // authTagLength pins the tag to 16 bytes: a truncated tag is never accepted.
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(keyId, ctx));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      // Do not chain the cause: keep the error free of anything but this fixed message.
      throw new DecryptionError('Cannot decrypt: authentication failed (wrong key, wrong context or tampered value).');
    }
  }

  function needsRotation(stored: string): boolean {
    return parse(stored).keyId !== current.id;
  }

  function reencrypt(stored: string, ctx: FieldContext): string {
    return encrypt(decrypt(stored, ctx), ctx);
  }

  return { encrypt, decrypt, needsRotation, reencrypt, currentKeyId: current.id };
}

/** Parses the stored format strictly; any deviation is a DecryptionError. */
function parse(stored: string): ParsedValue {
  if (typeof stored !== 'string') throw new DecryptionError('Cannot decrypt: the stored value is not a string.');
  const parts = stored.split('.');
  if (parts.length !== 4) throw new DecryptionError('Cannot decrypt: malformed value.');
  const [version, keyId, ivText, sealedText] = parts as [string, string, string, string];
  if (version !== VERSION) throw new DecryptionError('Cannot decrypt: unsupported format version.');
  if (!KEY_ID.test(keyId)) throw new DecryptionError('Cannot decrypt: malformed key id.');
  const iv = strictBase64url(ivText);
  const sealed = strictBase64url(sealedText);
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new DecryptionError('Cannot decrypt: malformed value.');
  return { keyId, iv, sealed };
}

/**
 * Node's base64url decoder skips unknown characters and ignores unused trailing bits, so two different
 * strings could decode to the same bytes. Accept only the canonical encoding: each stored string then
 * maps to exactly one byte sequence, and any changed character is caught (here or by the GCM tag).
 */
function strictBase64url(text: string): Buffer {
  if (!BASE64URL.test(text)) throw new DecryptionError('Cannot decrypt: malformed value.');
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new DecryptionError('Cannot decrypt: malformed value.');
  return bytes;
}

function checkContext(ctx: FieldContext, ErrorType: new (message: string) => Error): void {
  for (const name of ['table', 'column', 'rowId'] as const) {
    const v = (ctx as Partial<FieldContext> | undefined)?.[name];
    if (typeof v !== 'string' || v.length === 0 || LONE_SURROGATE.test(v)) {
      throw new ErrorType(`Invalid field context: "${name}" must be a non-empty, well-formed string.`);
    }
  }
}

/** `v1|<keyId>|<table>|<column>|<rowId>`, each component escaped so the encoding is injective. */
function additionalData(keyId: string, ctx: FieldContext): Buffer {
  const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  return Buffer.from([VERSION, keyId, ctx.table, ctx.column, ctx.rowId].map(escape).join('|'), 'utf8');
}

// ---------------------------------------------------------------------------------------------------
// Blind indexes
// ---------------------------------------------------------------------------------------------------

export type BlindIndex = {
  /** Index of a NIR (social security number): uppercase, without spaces, dots or hyphens. */
  nir(value: string): string;
  /** Index of an e-mail address: trimmed, NFC, lowercased (the whole address). */
  email(value: string): string;
};

const NIR_SEPARATORS = /[\s.\-\u2010-\u2015\u2212]/g;

/**
 * Blind indexes let the service detect duplicate requests and find a person's requests by NIR or e-mail
 * without storing either in clear (GDPR art. 32, security of processing, and art. 5(1)(c),
 * data minimisation). The index is a keyed HMAC-SHA256, not a plain hash: NIRs and e-mail addresses
 * have little entropy and a plain hash would be reversed by enumeration, whereas without the index key
 * (kept outside the database) the index reveals nothing but equality.
 *
 * Each purpose has its own subkey, derived from the index key with HKDF-SHA256 (info
 * 'blind-index:nir' / 'blind-index:email'; empty salt, the index key being uniformly random): an index of
 * one kind cannot be matched against an index of another kind, even for the same input string.
 *
 * Values are normalized first so the same NIR or address typed differently ("2 95 10 …" vs "29510…",
 * " Marie@Example.ORG " vs "marie@example.org") gives the same index. An empty value after
 * normalization is refused: it would make every empty field a "duplicate" of every other.
 */
export function createBlindIndex(indexKey: Buffer): BlindIndex {
  if (!Buffer.isBuffer(indexKey) || indexKey.length < 32) {
    throw new Error('createBlindIndex: the index key must be at least 32 bytes.');
  }
  const subkey = (info: string) => Buffer.from(hkdfSync('sha256', indexKey, Buffer.alloc(0), info, 32));
  const nirKey = subkey('blind-index:nir');
  const emailKey = subkey('blind-index:email');

  const mac = (key: Buffer, normalized: string, what: string): string => {
    if (normalized.length === 0) throw new TypeError(`Blind index: the ${what} is empty.`);
    return createHmac('sha256', key).update(normalized, 'utf8').digest('base64url');
  };

  return {
    nir: (value) => mac(nirKey, normalizeNir(value), 'NIR'),
    email: (value) => mac(emailKey, normalizeEmail(value), 'e-mail address'),
  };
}

/** NIR: uppercase (Corsica's 2A/2B), without whitespace, dots or hyphens (including Unicode dashes). */
function normalizeNir(value: string): string {
  if (typeof value !== 'string') throw new TypeError('Blind index: the NIR must be a string.');
  return value.toUpperCase().replace(NIR_SEPARATORS, '');
}

/** E-mail: trimmed, NFC, lowercased as a whole (providers treat the local part case-insensitively in practice). */
function normalizeEmail(value: string): string {
  if (typeof value !== 'string') throw new TypeError('Blind index: the e-mail address must be a string.');
  return value.trim().normalize('NFC').toLowerCase();
}
