import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { explainDeliveryError } from '../../server/domain/delivery-errors';
import { createI18n, translatorFor } from '../../server/i18n';

/** Every error the connectors and the delivery worker store, as they store it, and what it means. */
const STORED: [stored: string, key: string, values: Record<string, string | number>, gaveUpAfter: number | null][] = [
  ['HTTP 500', 'http_server', { status: 500 }, null],
  ['HTTP 503 (gave up after 10 attempts)', 'http_server', { status: 503 }, 10],
  ['HTTP 429', 'http_too_many', { status: 429 }, null],
  ['HTTP 401', 'http_refused', { status: 401 }, null],
  ['HTTP 404', 'http_refused', { status: 404 }, null],
  ['HTTP 302 redirect refused', 'http_redirect', { status: 302 }, null],
  ['HTTP 410 gone', 'http_gone', { status: 410 }, null],
  ['HTTP 102', 'http_other', { status: 102 }, null],
  ['timeout', 'timeout', {}, null],
  ['timeout (gave up after 4 attempts)', 'timeout', {}, 4],
  ['connection error', 'connection', {}, null],
  ['connection error ECONNREFUSED', 'connection_code', { code: 'ECONNREFUSED' }, null],
  ['connection error CERT_HAS_EXPIRED (gave up after 10 attempts)', 'connection_code', { code: 'CERT_HAS_EXPIRED' }, 10],
  ['invalid url', 'invalid_url', {}, null],
  ['destination not allowed', 'destination_not_allowed', {}, null],
  ['no signing secret', 'no_signing_secret', {}, null],
  ['cannot sign', 'cannot_sign', {}, null],
  ['invalid request headers', 'invalid_headers', {}, null],
  ['not a webhook channel', 'wrong_channel', {}, null],
  ['not an email channel', 'wrong_channel', {}, null],
  ['not a portal channel', 'wrong_channel', {}, null],
  ['unsupported_channel', 'wrong_channel', {}, null],
  ['SMTP 421', 'smtp_temporary', { status: 421 }, null],
  ['SMTP 550', 'smtp_permanent', { status: 550 }, null],
  ['ECONNREFUSED', 'smtp_connection', { code: 'ECONNREFUSED' }, null],
  ['ETIMEDOUT (gave up after 10 attempts)', 'smtp_connection', { code: 'ETIMEDOUT' }, 10],
  ['EAUTH', 'smtp_auth', {}, null],
  ['EENVELOPE', 'smtp_envelope', {}, null],
  ['EMESSAGE', 'smtp_message', {}, null],
  ['SMTP error', 'smtp_error', {}, null],
  ['cnam_batch_io_error', 'cnam_file', {}, null],
  ['no channel for this organisation', 'no_channel', {}, null],
  ['channel disabled', 'channel_disabled', {}, null],
  ['request not deliverable', 'not_deliverable', {}, null],
  ['request retiree', 'request_withdrawn', {}, null],
  ['request cloturee', 'request_erased', {}, null],
  ['request deleted', 'request_deleted', {}, null],
  ['connector error TypeError (gave up after 10 attempts)', 'connector_error', { name: 'TypeError' }, 10],
];

describe('explainDeliveryError', () => {
  it.each(STORED)('%s', (stored, key, values, gaveUpAfter) => {
    expect(explainDeliveryError(stored)).toEqual({ key, values, gaveUpAfter });
  });

  it.each([
    '',
    'HTTP',
    'HTTP 5000',
    'http 500',
    'EWHATEVER',
    'gave up after 3 attempts',
    ' (gave up after 3 attempts)',
    'timeout (gave up after many attempts)',
    'Le serveur a dit non',
  ])('does not know %j: shown as stored', (stored) => {
    expect(explainDeliveryError(stored)).toBeNull();
  });

  it('has a text in French and in English for each meaning, with its values written in', () => {
    const i18n = createI18n();
    for (const lang of ['fr', 'en'] as const) {
      const { t } = translatorFor(i18n, lang);
      for (const [stored, key, values] of STORED) {
        const text = t(`delivery-errors:${key}`, values);
        expect(text, `${lang} ${stored}`).not.toContain('delivery-errors');
        expect(text, `${lang} ${stored}`).not.toMatch(/\{\{/);
        for (const v of Object.values(values)) expect(text, `${lang} ${stored}`).toContain(String(v));
      }
      expect(t('delivery-errors:gaveUp', { count: 10 })).toMatch(/10/);
    }
  });

  it('never throws, and keeps the attempts of any known error', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1000 }), (s, n) => {
        const plain = explainDeliveryError(s);
        const gaveUp = explainDeliveryError(`${s} (gave up after ${n} attempts)`);
        if (plain && !/ \(gave up after \d+ attempts\)$/.test(s)) expect(gaveUp).toEqual({ ...plain, gaveUpAfter: n });
      }),
    );
  });
});
