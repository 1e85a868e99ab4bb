import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataKey } from '../../server/config';
import { createBlindIndex, createFieldCipher, DecryptionError, type FieldContext } from '../../server/crypto/fields';

const k1: DataKey = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2: DataKey = { id: 'k2', key: Buffer.alloc(32, 2) };
const ctx: FieldContext = { table: 'requests', column: 'email', rowId: '42' };

/** Replaces the character at `index` by another character of the base64url alphabet. */
function flipChar(s: string, index: number): string {
  const c = s[index]!;
  const other = c === 'A' ? 'B' : 'A';
  return s.slice(0, index) + other + s.slice(index + 1);
}

function expectDecryptionError(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecryptionError);
    expect((err as Error).name).toBe('DecryptionError');
    return err as DecryptionError;
  }
  throw new Error('expected a DecryptionError');
}

describe('createFieldCipher', () => {
  const cipher = createFieldCipher([k1]);

  it.each([
    ['empty string', ''],
    ['ascii', 'Marie Curie'],
    ['accents', 'Élodie Lefèvre-Çağlar, 12 rue de l’Église, Saint-Étienne'],
    ['emoji', '👩🏽‍⚕️ 🏥 ❤️ 🇫🇷'],
    ['long text', 'Données de santé : vos droits. '.repeat(10_000)],
    ['NIR', '2 95 10 99 126 111 93'],
  ])('round-trips %s', (_name, plaintext) => {
    const stored = cipher.encrypt(plaintext, ctx);
    expect(cipher.decrypt(stored, ctx)).toBe(plaintext);
  });

  it('stores a versioned ASCII string naming the key, with a 12-byte IV and a 16-byte tag', () => {
    const stored = cipher.encrypt('abc', ctx);
    expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, , iv, sealed] = stored.split('.');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(sealed!, 'base64url')).toHaveLength(3 + 16);
    expect(cipher.currentKeyId).toBe('k1');
  });

  it('gives two different stored values for the same plaintext (random IV)', () => {
    const a = cipher.encrypt('marie@example.org', ctx);
    const b = cipher.encrypt('marie@example.org', ctx);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('does not reveal the plaintext in the stored string, not even in base64', () => {
    const plaintext = 'marie.curie@example.org 295109912611193';
    const stored = cipher.encrypt(plaintext, ctx);
    const forms = [
      plaintext,
      'marie.curie',
      '295109912611193',
      Buffer.from(plaintext).toString('base64'),
      Buffer.from(plaintext).toString('base64url'),
      Buffer.from(plaintext).toString('hex'),
    ];
    for (const form of forms) expect(stored).not.toContain(form);
    // Also base64 of the plaintext taken at each of the three byte alignments.
    for (let offset = 0; offset < 3; offset++) {
      const chunk = Buffer.from(plaintext).subarray(offset).toString('base64url').slice(0, 16);
      expect(stored).not.toContain(chunk);
    }
  });

  it.each([
    ['another row', { ...ctx, rowId: '43' }],
    ['another column', { ...ctx, column: 'name' }],
    ['another table', { ...ctx, table: 'people' }],
  ])('refuses a value moved to %s', (_name, moved) => {
    const stored = cipher.encrypt('secret', ctx);
    expectDecryptionError(() => cipher.decrypt(stored, moved));
  });

  it('keeps contexts apart even when their parts contain the separator', () => {
    const a: FieldContext = { table: 'a|b', column: 'c', rowId: '1' };
    const b: FieldContext = { table: 'a', column: 'b|c', rowId: '1' };
    const stored = cipher.encrypt('secret', a);
    expect(cipher.decrypt(stored, a)).toBe('secret');
    expectDecryptionError(() => cipher.decrypt(stored, b));
  });

  it('refuses a value with any one character of its IV or ciphertext changed', () => {
    const stored = cipher.encrypt('a value of moderate length', ctx);
    const start = stored.indexOf('.', 3) + 1; // first character of the IV
    for (let i = start; i < stored.length; i++) {
      if (stored[i] === '.') continue;
      expectDecryptionError(() => cipher.decrypt(flipChar(stored, i), ctx));
    }
  });

  it('refuses a value whose key id was changed to another known key', () => {
    const both = createFieldCipher([k1, k2]);
    const stored = both.encrypt('secret', ctx);
    expectDecryptionError(() => both.decrypt(stored.replace(/^v1\.k1\./, 'v1.k2.'), ctx));
  });

  it('refuses an unknown key id', () => {
    const stored = createFieldCipher([k2]).encrypt('secret', ctx);
    const err = expectDecryptionError(() => cipher.decrypt(stored, ctx));
    expect(err.message).toContain('unknown key id');
  });

  it('refuses a value encrypted under another key with the same id', () => {
    const other = createFieldCipher([{ id: 'k1', key: randomBytes(32) }]);
    expectDecryptionError(() => cipher.decrypt(other.encrypt('secret', ctx), ctx));
  });

  it.each([
    ['empty', ''],
    ['plaintext', 'marie@example.org'],
    ['too few parts', 'v1.k1.AAAAAAAAAAAAAAAA'],
    ['too many parts', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x'],
    ['other version', 'v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['bad key id', 'v1.k|1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short IV', 'v1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short tag', 'v1.k1.AAAAAAAAAAAAAAAA.AAAA'],
    ['not base64url', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAA+AAAAAAAAAA'],
    ['padding', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA=='],
  ])('refuses a malformed value (%s)', (_name, stored) => {
    expectDecryptionError(() => cipher.decrypt(stored, ctx));
  });

  it('never puts the plaintext or the key in a DecryptionError message', () => {
    const plaintext = 'Marie Curie 295109912611193';
    const stored = cipher.encrypt(plaintext, ctx);
    const messages = [
      expectDecryptionError(() => cipher.decrypt(stored, { ...ctx, rowId: '7' })).message,
      expectDecryptionError(() => cipher.decrypt(flipChar(stored, stored.length - 1), ctx)).message,
      expectDecryptionError(() => createFieldCipher([k2]).decrypt(stored, ctx)).message,
    ];
    for (const m of messages) {
      expect(m).not.toContain('Marie');
      expect(m).not.toContain(k1.key.toString('base64'));
      expect(m).not.toContain(k1.key.toString('hex'));
      expect(m).not.toContain(stored);
    }
  });

  it('refuses an empty context and an ill-formed plaintext when encrypting', () => {
    expect(() => cipher.encrypt('x', { ...ctx, rowId: '' })).toThrow(TypeError);
    expect(() => cipher.encrypt('\uD800', ctx)).toThrow(TypeError);
    expectDecryptionError(() => cipher.decrypt(cipher.encrypt('x', ctx), { ...ctx, table: '' }));
  });

  it('throws at creation with no key, a key of the wrong size, repeated or unusable ids', () => {
    expect(() => createFieldCipher([])).toThrow();
    expect(() => createFieldCipher([{ id: 'k1', key: Buffer.alloc(16, 1) }])).toThrow(/32 bytes/);
    expect(() => createFieldCipher([{ id: 'k1', key: Buffer.alloc(33, 1) }])).toThrow(/32 bytes/);
    expect(() => createFieldCipher([k1, { id: 'k1', key: Buffer.alloc(32, 3) }])).toThrow(/share/);
    expect(() => createFieldCipher([{ id: 'k.1', key: Buffer.alloc(32, 1) }])).toThrow();
    expect(() => createFieldCipher([{ id: '', key: Buffer.alloc(32, 1) }])).toThrow();
  });

  it('is not affected by later changes to the key buffer it was given', () => {
    const key = Buffer.alloc(32, 9);
    const c = createFieldCipher([{ id: 'k9', key }]);
    const stored = c.encrypt('secret', ctx);
    key.fill(0);
    expect(c.decrypt(stored, ctx)).toBe('secret');
  });

  describe('key rotation', () => {
    const oldCipher = createFieldCipher([k1]);
    const rotated = createFieldCipher([k2, k1]);
    const onlyNew = createFieldCipher([k2]);

    it('decrypts values encrypted under an older key', () => {
      const stored = oldCipher.encrypt('Élodie', ctx);
      expect(rotated.decrypt(stored, ctx)).toBe('Élodie');
    });

    it('flags old values for rotation, not new ones', () => {
      expect(rotated.currentKeyId).toBe('k2');
      expect(rotated.needsRotation(oldCipher.encrypt('x', ctx))).toBe(true);
      expect(rotated.needsRotation(rotated.encrypt('x', ctx))).toBe(false);
      expectDecryptionError(() => rotated.needsRotation('not a stored value'));
    });

    it('re-encrypts under the current key, decryptable once the old key is retired', () => {
      const stored = oldCipher.encrypt('marie@example.org', ctx);
      const fresh = rotated.reencrypt(stored, ctx);
      expect(fresh.startsWith('v1.k2.')).toBe(true);
      expect(rotated.needsRotation(fresh)).toBe(false);
      expect(onlyNew.decrypt(fresh, ctx)).toBe('marie@example.org');
      expectDecryptionError(() => onlyNew.decrypt(stored, ctx));
    });

    it('does not re-encrypt a value read in the wrong context', () => {
      const stored = oldCipher.encrypt('secret', ctx);
      expectDecryptionError(() => rotated.reencrypt(stored, { ...ctx, rowId: '43' }));
    });
  });

  it('property: decrypt(encrypt(x)) === x for any string and context', () => {
    const c = createFieldCipher([k2, k1]);
    const part = fc.string({ minLength: 1, unit: 'binary' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.record({ table: part, column: part, rowId: part }), (x, context) => {
        const stored = c.encrypt(x, context);
        expect(stored).toMatch(/^[\x21-\x7e]+$/);
        expect(c.decrypt(stored, context)).toBe(x);
      }),
      { numRuns: 300 },
    );
  });
});

describe('createBlindIndex', () => {
  const index = createBlindIndex(Buffer.alloc(32, 7));

  it('is deterministic and base64url', () => {
    expect(index.nir('295109912611193')).toBe(index.nir('295109912611193'));
    expect(index.email('marie@example.org')).toBe(index.email('marie@example.org'));
    expect(index.nir('295109912611193')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createBlindIndex(Buffer.alloc(32, 7)).nir('295109912611193')).toBe(index.nir('295109912611193'));
  });

  it('normalizes a NIR: no spaces, dots or hyphens, uppercase', () => {
    const ref = index.nir('295109912611193');
    expect(index.nir('2 95 10 99 126 111 93')).toBe(ref);
    expect(index.nir('2.95.10.99.126.111-93')).toBe(ref);
    expect(index.nir(' 2\u00a095 10 99 126 111 93 ')).toBe(ref);
    expect(index.nir('1 85 05 2a 123 456 78')).toBe(index.nir('185052A12345678'));
    expect(index.nir('295109912611194')).not.toBe(ref);
  });

  it('normalizes an e-mail address: trimmed, NFC, lowercased', () => {
    expect(index.email(' Marie@Example.ORG ')).toBe(index.email('marie@example.org'));
    expect(index.email('E\u0301lodie@example.fr')).toBe(index.email('\u00e9lodie@example.fr'));
    expect(index.email('marie@example.org')).not.toBe(index.email('marie@example.com'));
  });

  it('differs between purposes for the same input', () => {
    expect(index.nir('abc@example.org')).not.toBe(index.email('abc@example.org'));
    expect(index.nir('295109912611193')).not.toBe(index.email('295109912611193'));
  });

  it('differs between index keys', () => {
    const other = createBlindIndex(randomBytes(32));
    expect(other.nir('295109912611193')).not.toBe(index.nir('295109912611193'));
    expect(other.email('marie@example.org')).not.toBe(index.email('marie@example.org'));
  });

  it('does not contain the value', () => {
    expect(index.email('marie@example.org')).not.toContain('marie');
    expect(index.nir('295109912611193')).not.toContain('2951099');
  });

  it('refuses a short index key and an empty value', () => {
    expect(() => createBlindIndex(Buffer.alloc(16, 1))).toThrow();
    expect(() => index.nir(' . - ')).toThrow(TypeError);
    expect(() => index.email('   ')).toThrow(TypeError);
  });
});
