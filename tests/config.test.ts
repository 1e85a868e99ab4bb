import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { ConfigError, loadConfig } from '../server/config';
import { makeTestApp } from './helpers/app';

const dir = mkdtempSync(join(tmpdir(), 'sante-droits-config-'));
afterAll(() => rmSync(dir, { recursive: true }));
const key = () => Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({ DATA_DIR: join(dir, 'd1') });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('localhost');
    expect(c.publicUrl.href).toBe('http://localhost:3000/');
    expect(c.demoData).toBe(true);
    expect(c.smtpUrl).toBeUndefined();
  });

  it('generates development secrets once, into DATA_DIR, readable by the owner only', () => {
    const d = join(dir, 'd2');
    const a = loadConfig({ DATA_DIR: d });
    const file = join(d, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadConfig({ DATA_DIR: d });
    expect(b.sessionSecret.equals(a.sessionSecret)).toBe(true);
    expect(b.dataKeys[0]!.key.equals(a.dataKeys[0]!.key)).toBe(true);
    expect(a.dataKeys[0]!.key.length).toBe(32);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('INDEX_KEY');
  });

  it('stops a production start that lacks secrets, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: join(dir, 'd3'), PUBLIC_URL: 'https://example.org' })).toThrow(
      /DATA_KEYS, INDEX_KEY, SESSION_SECRET/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: join(dir, 'd3'), DATA_KEYS: `k1:${key()}`, INDEX_KEY: key(), SESSION_SECRET: key() })).toThrow(
      /PUBLIC_URL/,
    );
  });

  it('accepts a complete production environment and turns demonstration data off', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: join(dir, 'd4'),
      PUBLIC_URL: 'https://example.org',
      DATA_KEYS: `k2:${key()},k1:${key()}`,
      INDEX_KEY: key(),
      SESSION_SECRET: key(),
    });
    expect(c.dataKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(c.demoData).toBe(false);
  });

  it('explains a malformed value', () => {
    expect(() => loadConfig({ DATA_DIR: join(dir, 'd5'), PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: join(dir, 'd5'), DATA_KEYS: 'k1:short' })).toThrow(/32 bytes/);
  });
});

describe('MAIL_FROM', () => {
  it('by default, one mailbox whose display name keeps its colon (quoted), as mailparser reads the mails written', async () => {
    const t = makeTestApp();
    try {
      expect(t.deps.config.mailFrom).toBe('"Données de santé : vos droits" <ne-pas-repondre@localhost>');
      await t.deps.mailer.send({
        to: 'personne@example.org',
        subject: 'Sujet',
        text: 'Texte',
        html: '<p>Texte</p>',
        messageId: '<test.1@localhost>',
        lang: 'fr',
      });
      const [file] = readdirSync(join(t.dataDir, 'mail'));
      const mail = await simpleParser(readFileSync(join(t.dataDir, 'mail', file!)));
      expect(mail.from?.value).toEqual([{ name: 'Données de santé : vos droits', address: 'ne-pas-repondre@localhost' }]);
      expect(mail.headers.get('from')).toMatchObject({ value: [{ address: 'ne-pas-repondre@localhost' }] });
    } finally {
      t.close();
    }
  });

  it('refuses a value that is not one mailbox, and says how to quote', () => {
    for (const bad of ['Données de santé : vos droits <ne-pas-repondre@example.org>', 'a@example.org, b@example.org', 'pas une adresse']) {
      expect(() => loadConfig({ DATA_DIR: join(dir, 'd6'), MAIL_FROM: bad }), bad).toThrow(/MAIL_FROM: must be one address, its display name in double quotes/);
    }
    expect(loadConfig({ DATA_DIR: join(dir, 'd6'), MAIL_FROM: 'Service <service@example.org>' }).mailFrom).toBe('Service <service@example.org>');
  });
});
