/**
 * Configuration, read once from the environment.
 *
 * In development every secret is optional: missing ones are generated once into DATA_DIR/secrets.json
 * (mode 0600) so that a fresh `npm start` needs nothing. With NODE_ENV=production a missing secret stops
 * the start with a message naming it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { z } from 'zod';

/**
 * The sender of every mail: one mailbox (RFC 5322 §3.4). The display name is quoted: unquoted, its colon
 * would make the From: header a group ("name: members;"), which mail readers show wrong or refuse.
 */
export const DEFAULT_MAIL_FROM = '"Données de santé : vos droits" <ne-pas-repondre@localhost>';

/** Whether a From: value is exactly one mailbox, as nodemailer (which writes the header) reads it. */
function isOneMailbox(value: string): boolean {
  const parsed = addressparser(value);
  const [first] = parsed;
  return parsed.length === 1 && !!first && !('group' in first) && /^[^\s@]+@[^\s@]+$/.test(first.address);
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .default(DEFAULT_MAIL_FROM)
    .refine(
      isOneMailbox,
      'must be one address, its display name in double quotes if it holds : ; , or @ (e.g. "Données de santé : vos droits" <ne-pas-repondre@example.org>)',
    ),
  DATA_KEYS: z.string().min(1).optional(),
  INDEX_KEY: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(1).optional(),
  DEMO_DATA: z.enum(['0', '1']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  SUBMIT_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Requests a minute one client address may make to the read-only API (/api/v1). */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  ADMIN_EMAILS: z.string().optional(),
  WEBHOOK_ALLOW: z.string().optional(),
  WORKER: z.enum(['0', '1']).default('1'),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  DELIVERY_MAX_DAYS: z.coerce.number().min(0.001).max(60).default(7),
  DELIVERY_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(30_000),
  CNAM_BATCH_KEY: z.string().min(1).optional(),
  WEBAUTHN_RP_ID: z.string().min(1).optional(),
});

/** A data-encryption key: its id is stored beside each encrypted value so keys can rotate. */
export type DataKey = { id: string; key: Buffer };

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: URL;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The first key encrypts; every key decrypts. */
  dataKeys: DataKey[];
  indexKey: Buffer;
  sessionSecret: Buffer;
  demoData: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  bodyLimit: number;
  /** Identity data of closed requests is erased after this many months (GDPR art. 5(1)(e), storage limitation). */
  retentionMonths: number;
  /** Request submissions allowed per address and per e-mail in 10 minutes. */
  submitRateLimit: number;
  /** Requests a minute one client address may make to the read-only API (/api/v1). */
  apiRateLimit: number;
  /** Who gets alerts (a delivery that died). */
  adminEmails: string[];
  /** Where webhooks may be sent: https origins or `*.domain` patterns (connectors/webhook.ts allowList). */
  webhookAllow: string[];
  /** Run the delivery worker inside the web process (default); `npm run worker` runs it alone. */
  runWorker: boolean;
  delivery: { maxAttempts: number; maxDays: number; leaseSeconds: number; webhookTimeoutMs: number };
  /** Signs the CNAM batch manifests; shared with the CNAM out of band. */
  cnamBatchKey: Buffer;
  /** Passkeys: the relying party id and the origin browsers must report, from config, never from the Host header. */
  webauthn: { rpId: string; rpName: string; origin: string };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_NAMES = ['DATA_KEYS', 'INDEX_KEY', 'SESSION_SECRET'] as const;
type SecretName = (typeof SECRET_NAMES)[number];

/** DATA_KEYS is `id:base64key[,id:base64key...]`, each key 32 bytes (AES-256). */
export function parseDataKeys(value: string): DataKey[] {
  const keys = value.split(',').map((part) => {
    const [id, b64] = part.trim().split(':');
    if (!id || !b64 || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
      throw new ConfigError('DATA_KEYS must read "id:base64key[,id:base64key]" with short ids of letters and digits.');
    }
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new ConfigError(`DATA_KEYS: the key "${id}" must be 32 bytes (base64 of 32 random bytes).`);
    return { id, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError('DATA_KEYS: two keys share an id.');
  return keys;
}

function parseSecret(name: string, value: string): Buffer {
  const buf = Buffer.from(value, 'base64');
  if (buf.length < 32) throw new ConfigError(`${name} must be at least 32 bytes, base64-encoded.`);
  return buf;
}

function generatedSecrets(dataDir: string): Record<SecretName, string> {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, 'utf8')) as Record<SecretName, string>;
  }
  const secrets: Record<SecretName, string> = {
    DATA_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    INDEX_KEY: randomBytes(32).toString('base64'),
    SESSION_SECRET: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${fields}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const production = e.NODE_ENV === 'production';

  if (production) {
    const missing = SECRET_NAMES.filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs these secrets in the environment: ${missing.join(', ')}.`);
    }
    if (!e.PUBLIC_URL) throw new ConfigError('NODE_ENV=production needs PUBLIC_URL (the https address users reach).');
  }

  // A lease must outlast the longest delivery, or a second worker could send a row the first still holds.
  if (e.DELIVERY_LEASE_SECONDS * 1000 <= e.WEBHOOK_TIMEOUT_MS) {
    throw new ConfigError(`DELIVERY_LEASE_SECONDS (${e.DELIVERY_LEASE_SECONDS}) must be longer than WEBHOOK_TIMEOUT_MS (${e.WEBHOOK_TIMEOUT_MS} ms).`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = production
    ? { DATA_KEYS: e.DATA_KEYS!, INDEX_KEY: e.INDEX_KEY!, SESSION_SECRET: e.SESSION_SECRET! }
    : { ...generatedSecrets(dataDir), ...definedOnly({ DATA_KEYS: e.DATA_KEYS, INDEX_KEY: e.INDEX_KEY, SESSION_SECRET: e.SESSION_SECRET }) };

  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    dataKeys: parseDataKeys(secrets.DATA_KEYS),
    indexKey: parseSecret('INDEX_KEY', secrets.INDEX_KEY),
    sessionSecret: parseSecret('SESSION_SECRET', secrets.SESSION_SECRET),
    demoData: e.DEMO_DATA ? e.DEMO_DATA === '1' : !production,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    retentionMonths: e.RETENTION_MONTHS,
    submitRateLimit: e.SUBMIT_RATE_LIMIT,
    apiRateLimit: e.API_RATE_LIMIT,
    adminEmails: list(e.ADMIN_EMAILS),
    webhookAllow: list(e.WEBHOOK_ALLOW),
    runWorker: e.WORKER === '1',
    delivery: {
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      maxDays: e.DELIVERY_MAX_DAYS,
      leaseSeconds: e.DELIVERY_LEASE_SECONDS,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    // Without its own key, one derived from SESSION_SECRET, so a development install needs nothing.
    webauthn: { rpId: e.WEBAUTHN_RP_ID ?? publicUrl.hostname, rpName: 'Données de santé : vos droits', origin: publicUrl.origin },
    cnamBatchKey: e.CNAM_BATCH_KEY
      ? parseSecret('CNAM_BATCH_KEY', e.CNAM_BATCH_KEY)
      : createHmac('sha256', parseSecret('SESSION_SECRET', secrets.SESSION_SECRET)).update('cnam-batch-manifest').digest(),
  };
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** For the entry points: a configuration error is printed plainly and ends the process (EX_CONFIG, 78). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
