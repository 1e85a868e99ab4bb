/**
 * Migration 0016_follows rebuilds mail_outbox (SQLite recreates a table to drop a NOT NULL): the mails
 * queued before it, sent or not, are kept with every column they had, the new columns empty, and a mail
 * about no request (a follow's) can be queued after it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/client';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of migrations/ whose journal stops before `tag`. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sante-droits-migrations-'));
  dirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

describe('0016_follows', () => {
  it('keeps the queued and sent mails of before, and lets a mail about no request be queued', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsBefore('0016_follows') });
    sqlite
      .prepare(
        `insert into rights_requests (id, reference, kind, scope, on_behalf, lang, status, created_at)
         values ('r1', 'REF1', 'acces', 'responsable', 'self', 'fr', 'recue', '2026-03-01T09:00:00.000Z')`,
      )
      .run();
    const mail = sqlite.prepare(
      `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, created_at, attempts, next_attempt_at, sent_at, last_error)
       values (?, 'r1', ?, 'v1.k.iv.x', ?, '2026-03-01T09:00:00.000Z', ?, '2026-03-01T09:05:00.000Z', ?, ?)`,
    );
    mail.run('m-sent', 'confirm', null, 1, '2026-03-01T09:00:01.000Z', null);
    mail.run('m-waiting', 'delivery_dead', 'v1.k.iv.to', 3, null, 'smtp 451');
    const before = sqlite.prepare('select * from mail_outbox order by id').all();

    migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const after = sqlite.prepare('select * from mail_outbox order by id').all() as Record<string, unknown>[];
    expect(after).toEqual((before as Record<string, unknown>[]).map((row) => ({ ...row, recipient_index: null, lang: null, headers_enc: null })));
    sqlite
      .prepare(
        `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, lang, created_at, next_attempt_at)
         values ('m-follow', null, 'follow.confirm', 'v1.k.iv.x', 'v1.k.iv.to', 'en', '2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z')`,
      )
      .run();
    // Still tied to its request when it has one: deleting the request deletes its mails.
    sqlite.prepare(`delete from rights_requests where id = 'r1'`).run();
    expect(sqlite.prepare('select id from mail_outbox order by id').all()).toEqual([{ id: 'm-follow' }]);
    sqlite.close();
  });
});
