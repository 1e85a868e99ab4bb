/**
 * Standard Webhooks signing and verification. The published test vector is what proves
 * interoperability: a round trip through our own sign/verify would pass just as well with the
 * delimiter, the base64 alphabet or the key decoding wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSecret, parseSecret, sign, verify } from '../../connectors/standard-webhooks';

// The vector from the official libraries' tests ("sign function works" in
// standard-webhooks/libraries/javascript/src/webhook.test.ts, also in the Python and PHP suites).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const NOW = VECTOR.timestamp;
const headersFor = (signature: string, timestamp = VECTOR.timestamp, id = VECTOR.id) => ({ id, timestamp: String(timestamp), signature });

describe('the published test vector', () => {
  it('signs to the expected signature', () => {
    expect(sign([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('verifies', () => {
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), VECTOR.body, NOW)).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
  });

  it('verifies among other signatures and other versions, as the official multi-signature test has it', () => {
    const header = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', VECTOR.signature].join(' ');
    expect(verify([VECTOR.secret], headersFor(header), VECTOR.body, NOW).ok).toBe(true);
  });
});

describe('verify refuses', () => {
  it('a tampered body', () => {
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), '{"test": 2432232315}', NOW)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('a tampered id or timestamp (both are signed)', () => {
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature, NOW, 'msg_other'), VECTOR.body, NOW)).toEqual({ ok: false, error: 'bad_signature' });
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature, NOW + 1), VECTOR.body, NOW)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('a timestamp more than five minutes old, even correctly signed', () => {
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), VECTOR.body, NOW + 300).ok).toBe(true);
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), VECTOR.body, NOW + 301)).toEqual({ ok: false, error: 'timestamp_too_old' });
  });

  it('a timestamp more than five minutes in the future', () => {
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), VECTOR.body, NOW - 300).ok).toBe(true);
    expect(verify([VECTOR.secret], headersFor(VECTOR.signature), VECTOR.body, NOW - 301)).toEqual({ ok: false, error: 'timestamp_too_new' });
  });

  it('a signature made with another secret', () => {
    const other = generateSecret();
    const signature = sign([other], VECTOR.id, NOW, VECTOR.body);
    expect(verify([VECTOR.secret], headersFor(signature), VECTOR.body, NOW)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('missing headers', () => {
    expect(verify([VECTOR.secret], { timestamp: String(NOW), signature: VECTOR.signature }, VECTOR.body, NOW)).toEqual({ ok: false, error: 'missing_headers' });
    expect(verify([VECTOR.secret], { id: VECTOR.id, signature: VECTOR.signature }, VECTOR.body, NOW)).toEqual({ ok: false, error: 'missing_headers' });
    expect(verify([VECTOR.secret], { id: VECTOR.id, timestamp: String(NOW), signature: null }, VECTOR.body, NOW)).toEqual({
      ok: false,
      error: 'missing_headers',
    });
    expect(verify([VECTOR.secret], { id: '', timestamp: String(NOW), signature: VECTOR.signature }, VECTOR.body, NOW)).toEqual({
      ok: false,
      error: 'missing_headers',
    });
  });

  it('a timestamp that is not whole seconds', () => {
    for (const timestamp of ['hello', '1614265330.5', '-1614265330', ' 1614265330', '1e9', '1614265330000000000']) {
      expect(verify([VECTOR.secret], { id: VECTOR.id, timestamp, signature: VECTOR.signature }, VECTOR.body, NOW)).toEqual({
        ok: false,
        error: 'bad_timestamp',
      });
    }
  });

  it('malformed signature headers', () => {
    const bare = VECTOR.signature.slice(3);
    for (const header of [bare, 'v1,', 'v1', ',', VECTOR.signature.slice(0, 8), `v2,${bare}`, `v1a,${bare}`, `v1,${bare}=`, `V1,${bare}`, `v1 ${bare}`]) {
      expect(verify([VECTOR.secret], headersFor(header), VECTOR.body, NOW)).toEqual({ ok: false, error: 'bad_signature' });
    }
  });
});

describe('secret rotation', () => {
  const previous = VECTOR.secret;
  const next = generateSecret();

  it('signs once per secret', () => {
    const header = sign([next, previous], VECTOR.id, NOW, VECTOR.body);
    const parts = header.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(VECTOR.signature);
    expect(parts.every((p) => /^v1,[A-Za-z0-9+/]{43}=$/.test(p))).toBe(true);
  });

  it('verifies with either secret alone, or both', () => {
    const header = sign([next, previous], VECTOR.id, NOW, VECTOR.body);
    expect(verify([previous], headersFor(header), VECTOR.body, NOW).ok).toBe(true);
    expect(verify([next], headersFor(header), VECTOR.body, NOW).ok).toBe(true);
    expect(verify([generateSecret(), next], headersFor(header), VECTOR.body, NOW).ok).toBe(true);
    expect(verify([generateSecret()], headersFor(header), VECTOR.body, NOW).ok).toBe(false);
  });
});

describe('secrets', () => {
  it('parses a whsec_ secret to its key bytes', () => {
    expect(parseSecret(VECTOR.secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(parseSecret(a)).toHaveLength(24);
    expect(generateSecret()).not.toBe(a);
  });

  it('throws a clear error on anything else, without repeating the secret', () => {
    for (const bad of ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_c2hvcnQ=']) {
      expect(() => parseSecret(bad)).toThrow(/Invalid webhook secret/);
      try {
        parseSecret(bad);
      } catch (err) {
        if (bad.length > 6) expect((err as Error).message).not.toContain(bad.slice(6));
      }
    }
  });

  it('refuses to sign without a secret, with a bad id or a bad timestamp', () => {
    expect(() => sign([], VECTOR.id, NOW, VECTOR.body)).toThrow();
    expect(() => sign([VECTOR.secret], 'msg.1', NOW, VECTOR.body)).toThrow();
    expect(() => sign([VECTOR.secret], VECTOR.id, NOW + 0.5, VECTOR.body)).toThrow();
  });
});

describe('properties', () => {
  it('never throws on arbitrary headers and bodies', () => {
    const header = fc.option(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('v1,', 'v1, v1,', String(NOW), VECTOR.signature)), {
      nil: undefined,
    });
    fc.assert(
      fc.property(header, header, header, fc.string({ unit: 'binary' }), (id, timestamp, signature, body) => {
        const result = verify([VECTOR.secret], { id, timestamp, signature }, body, NOW);
        return result.ok === false || result.ok === true;
      }),
      { numRuns: 200 },
    );
  });

  it('any body signed with any id verifies, and not after a change', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('.')),
        fc.string({ unit: 'binary' }),
        (id, body) => {
          const signature = sign([VECTOR.secret], id, NOW, body);
          expect(verify([VECTOR.secret], { id, timestamp: String(NOW), signature }, body, NOW).ok).toBe(true);
          expect(verify([VECTOR.secret], { id, timestamp: String(NOW), signature }, `${body} `, NOW).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
