/**
 * Migration 0017_record_reports rebuilds the mail outbox so that a mail may be about no request. A
 * database holding queued and sent mail from before is migrated from 0016 as the service migrates it:
 * every row is kept as it was, with its request, and no language of its own; a row about no request can
 * then be written, and a row's request is still enforced and cascades.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/client';
import { migrationsBefore, removeMigrationCopies } from '../helpers/migrations';

afterAll(removeMigrationCopies);

describe('0017_record_reports', () => {
  it('keeps every mail of the outbox, and lets a mail be about no request', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsBefore('0017_record_reports') });
    sqlite
      .prepare(
        `insert into rights_requests (id, reference, kind, scope, on_behalf, lang, status, created_at)
         values ('r1', 'REF1', 'acces', 'responsable', 'self', 'en', 'recue', '2026-03-01T09:00:00.000Z')`,
      )
      .run();
    const mail = sqlite.prepare(
      `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, created_at, attempts, next_attempt_at, sent_at)
       values (?, 'r1', ?, 'vars', ?, '2026-03-01T09:00:00.000Z', ?, '2026-03-01T09:00:00.000Z', ?)`,
    );
    mail.run('m-sent', 'confirm', null, 1, '2026-03-01T09:00:05.000Z');
    mail.run('m-queued', 'forwarded', null, 0, null);
    mail.run('m-alert', 'delivery_dead', 'v1.k.alert', 2, null);
    const before = sqlite.prepare('select * from mail_outbox order by id').all();

    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    const after = sqlite.prepare('select * from mail_outbox order by id').all() as Record<string, unknown>[];
    // lang is 0017's; recipient_index and headers_enc, 0018's; the lease columns, 0019's (issue 16): new columns, null on every mail kept.
    expect(after).toEqual(
      (before as Record<string, unknown>[]).map((row) => ({
        ...row,
        lang: null,
        recipient_index: null,
        headers_enc: null,
        lease_owner: null,
        lease_until: null,
      })),
    );
    expect(
      sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'mail_outbox' and name = 'mail_outbox_due_idx'").get(),
    ).toBeDefined();

    sqlite
      .prepare(
        `insert into mail_outbox (id, request_id, template, vars_enc, recipient_enc, lang, created_at, next_attempt_at)
         values ('m-report', null, 'record_report_handled', 'vars', 'v1.k.to', 'en', '2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z')`,
      )
      .run();
    expect(() =>
      sqlite
        .prepare(`insert into mail_outbox (id, request_id, template, vars_enc, created_at, next_attempt_at) values ('m-bad', 'nope', 't', 'v', 'x', 'x')`)
        .run(),
    ).toThrow(/FOREIGN KEY/);
    sqlite.prepare("delete from rights_requests where id = 'r1'").run();
    expect(sqlite.prepare('select id from mail_outbox').all()).toEqual([{ id: 'm-report' }]);
    sqlite.close();
  });
});
