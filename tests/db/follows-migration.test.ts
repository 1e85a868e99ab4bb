/**
 * Migration 0018_follows adds the follows and their tokens, and two columns to the mail outbox (the
 * blind index of a capped recipient, a mail's own encrypted headers): the mails queued before it, sent
 * or not, about a request or about none (a record report handled), are kept as they were with the new
 * columns empty, and a follow's mail can be queued after it.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/client';
import { migrationsBefore, removeMigrationCopies } from '../helpers/migrations';

afterAll(removeMigrationCopies);

describe('0018_follows', () => {
  it('keeps the queued and sent mails of before, and lets a follow mail be queued with its headers', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsBefore('0018_follows') });
    sqlite
      .prepare(
        `insert into rights_requests (id, reference, kind, scope, on_behalf, lang, status, created_at)
         values ('r1', 'REF1', 'acces', 'responsable', 'self', 'fr', 'recue', '2026-03-01T09:00:00.000Z')`,
      )
      .run();
    const mail = sqlite.prepare(
      `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, lang, created_at, attempts, next_attempt_at, sent_at, last_error)
       values (?, ?, ?, 'v1.k.iv.x', ?, ?, '2026-03-01T09:00:00.000Z', ?, '2026-03-01T09:05:00.000Z', ?, ?)`,
    );
    mail.run('m-sent', 'r1', 'confirm', null, null, 1, '2026-03-01T09:00:01.000Z', null);
    mail.run('m-waiting', 'r1', 'delivery_dead', 'v1.k.iv.to', null, 3, null, 'smtp 451');
    mail.run('m-report', null, 'record_report_handled', 'v1.k.iv.me', 'en', 0, null, null);
    const before = sqlite.prepare('select * from mail_outbox order by id').all() as Record<string, unknown>[];

    migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const after = sqlite.prepare('select * from mail_outbox order by id').all() as Record<string, unknown>[];
    // The lease columns are 0019's (issue 16): null on every mail kept.
    expect(after).toEqual(before.map((row) => ({ ...row, recipient_index: null, headers_enc: null, lease_owner: null, lease_until: null })));
    sqlite
      .prepare(
        `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, recipient_index, lang, headers_enc, created_at, next_attempt_at)
         values ('m-follow', null, 'follow.confirm', 'v1.k.iv.x', 'v1.k.iv.to', 'idx', 'en', 'v1.k.iv.h', '2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z')`,
      )
      .run();
    expect(sqlite.prepare("select name from sqlite_master where type = 'table' and name in ('follows', 'follow_tokens') order by name").all()).toEqual([
      { name: 'follow_tokens' },
      { name: 'follows' },
    ]);
    // Still tied to its request when it has one: deleting the request deletes its mails.
    sqlite.prepare(`delete from rights_requests where id = 'r1'`).run();
    expect(sqlite.prepare('select id from mail_outbox order by id').all()).toEqual([{ id: 'm-follow' }, { id: 'm-report' }]);
    sqlite.close();
  });
});
