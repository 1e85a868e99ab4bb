/**
 * A software passkey authenticator for tests over app.request: it answers the WebAuthn options the
 * server puts in its pages with real ES256 key pairs, attestation `none`, and the authenticator data
 * flags a test asks for (user present, user verified), so sign-in and enrolment run through the real
 * verification in server/auth/webauthn.ts. Browser tests use Chromium's virtual authenticator instead.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Page } from './client';

/* ---------- A minimal CBOR encoder (RFC 8949): what attestation objects and COSE keys need ---------- */

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

type Cbor = number | string | Buffer | Map<Cbor, Cbor>;

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

/* ---------- The authenticator ---------- */

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

type StoredKey = { id: Buffer; privateKey: KeyObject; userHandle: string; counter: number };

export type Flags = { userPresent?: boolean; userVerified?: boolean };
export type CeremonyOverrides = Flags & { origin?: string; rpId?: string; type?: string; challenge?: string };

type RegistrationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
type AuthenticationOptions = { challenge: string; rpId?: string };

export function softAuthenticator(defaults: { origin: string; rpId: string; counterStep?: number }) {
  const keys = new Map<string, StoredKey>();
  const flagsByte = (f: Flags, extra = 0) => (f.userPresent === false ? 0 : 0x01) | (f.userVerified === false ? 0 : 0x04) | extra;
  const clientData = (type: string, challenge: string, origin: string) => Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    keys,
    /** Creates a passkey for the options of a registration page. */
    register(options: RegistrationOptions, o: CeremonyOverrides = {}) {
      const rpId = o.rpId ?? options.rp.id ?? defaults.rpId;
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const id = randomBytes(16);
      const cose = cbor(
        new Map<Cbor, Cbor>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      );
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([sha256(rpId), Buffer.from([flagsByte(o, 0x40)]), Buffer.alloc(4), Buffer.alloc(16), idLength, id, cose]);
      const attestationObject = cbor(
        new Map<Cbor, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      keys.set(b64(id), { id, privateKey, userHandle: options.user.id, counter: 0 });
      return {
        id: b64(id),
        rawId: b64(id),
        type: 'public-key',
        response: {
          clientDataJSON: b64(clientData(o.type ?? 'webauthn.create', o.challenge ?? options.challenge, o.origin ?? defaults.origin)),
          attestationObject: b64(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
    /** Signs in with one of its passkeys (the first, or `credentialId`). */
    authenticate(options: AuthenticationOptions, o: CeremonyOverrides & { credentialId?: string; userHandle?: string; counter?: number } = {}) {
      const key = o.credentialId ? keys.get(o.credentialId) : keys.values().next().value;
      if (!key) throw new Error('softAuthenticator: no passkey');
      key.counter = o.counter ?? key.counter + (defaults.counterStep ?? 1);
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(key.counter);
      const authData = Buffer.concat([sha256(o.rpId ?? options.rpId ?? defaults.rpId), Buffer.from([flagsByte(o)]), counter]);
      const cd = clientData(o.type ?? 'webauthn.get', o.challenge ?? options.challenge, o.origin ?? defaults.origin);
      const signature = sign('sha256', Buffer.concat([authData, sha256(cd)]), key.privateKey);
      return {
        id: b64(key.id),
        rawId: b64(key.id),
        type: 'public-key',
        response: { clientDataJSON: b64(cd), authenticatorData: b64(authData), signature: b64(signature), userHandle: o.userHandle ?? key.userHandle },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}

export type SoftAuthenticator = ReturnType<typeof softAuthenticator>;

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The ceremony a page offers: its WebAuthn options and challenge id (the `n`th passkey form). */
export function ceremonyIn(page: Page | string, n = 0): { options: any; challengeId: string } {
  const html = typeof page === 'string' ? page : page.html;
  const forms = [...html.matchAll(/<form[^>]*data-passkey="[^"]*"[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms[n];
  if (!form) throw new Error('no passkey form on the page');
  const options = /data-options="([^"]*)"/.exec(form)?.[1];
  const challengeId = /name="challengeId" value="([^"]*)"/.exec(form)?.[1];
  if (!options || !challengeId) throw new Error('passkey form without options or challenge');
  return { options: JSON.parse(unescapeHtml(options)), challengeId };
}
