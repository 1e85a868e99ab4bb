/**
 * The typed Hono environment shared by every route and middleware (no global ContextVariableMap).
 */
import { createFactory } from 'hono/factory';
import type { i18n as I18n } from 'i18next';
import type { Connectors } from '../connectors';
import type { Mailer } from '../connectors/mail';
import type { Config } from './config';
import type { BlindIndex, FieldCipher } from './crypto/fields';
import type { MailWorker } from './worker/mail';
import type { DeliveryWorker } from './worker/deliveries';
import type { DbHandle } from './db/client';
import type { Lang, Translator } from './i18n';
import type { StaffSession } from './auth/sessions';
import type { Logger } from './logger';

/** Everything the app is built from; createApp(deps) is the composition root. */
export type AppDeps = {
  config: Config;
  database: DbHandle;
  i18n: I18n;
  logger: Logger;
  mailer: Mailer;
  /** Sends queued mail to people (the mail outbox). */
  mailWorker: MailWorker;
  /** Encrypts identity fields. */
  cipher: FieldCipher;
  /** Keyed blind indexes of NIR and e-mail. */
  index: BlindIndex;
  /** The current time; tests pass a controlled clock. */
  now: () => Date;
  /** One per channel kind, created from config. */
  connectors: Connectors;
  /** Forwards confirmed requests; `kick()` after a confirmation. */
  deliveryWorker: Pick<DeliveryWorker, 'kick'>;
};

/** The headers recorded for a response before it is built (server/response-headers.ts). */
export type PendingHeaders = {
  headers: Record<string, string>;
  cookies: string[];
  vary: string;
  taken: boolean;
  /** Set by `send()` when its body is final as sent: already compressed, or too small to gain from it. */
  final?: boolean;
};

export type AppVariables = {
  requestId: string;
  responseHeaders?: PendingHeaders;
  secureHeadersNonce?: string;
  lang: Lang;
  tr: Translator;
  /** Returns the CSRF token for this visitor's forms, setting its cookie on first use. */
  csrfToken: () => string;
  /** In the back office, the signed-in member of staff (server/auth/guard.ts). */
  staff?: StaffSession;
  /** The signed-in member of staff as the header names them: address and, for a DPO, organisation. */
  staffWho?: { email?: string; organisationName?: string };
};

export type AppEnv = { Variables: AppVariables };

export const factory = createFactory<AppEnv>();
