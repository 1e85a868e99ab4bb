/**
 * Migration 0014_attachment_events links each answer document to its timeline step. A database holding
 * documents from before (matched to their answer by equal instants) is migrated from 0013 as the
 * service migrates it: each document gets the step the pages showed it under.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/client';
import { migrationsBefore, removeMigrationCopies } from '../helpers/migrations';

afterAll(removeMigrationCopies);

describe('0014_attachment_events', () => {
  it('links the documents stored before it to the answer step they were shown under', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsBefore('0014_attachment_events') });

    sqlite
      .prepare(
        `insert into rights_requests (id, reference, kind, scope, on_behalf, lang, status, created_at)
         values ('r1', 'REF1', 'acces', 'responsable', 'self', 'fr', 'repondue', '2026-03-01T09:00:00.000Z'),
                ('r2', 'REF2', 'acces', 'responsable', 'self', 'fr', 'refusee', '2026-03-01T09:00:00.000Z')`,
      )
      .run();
    const event = sqlite.prepare('insert into request_events (request_id, kind, at, actor) values (?, ?, ?, ?)');
    const id = (requestId: string, kind: string, at: string) => Number(event.run(requestId, kind, at, 'user:u').lastInsertRowid);
    id('r1', 'submitted', '2026-03-01T09:00:00.000Z');
    const clarified = id('r1', 'clarification_asked', '2026-03-02T09:00:00.000Z');
    const answered = id('r1', 'answered', '2026-03-03T09:00:00.000Z');
    const refused = id('r2', 'refused', '2026-03-04T09:00:00.000Z');
    const document = sqlite.prepare(
      `insert into request_attachments (id, request_id, filename, content_type, size, content_enc, created_at)
       values (?, ?, 'a.pdf', 'application/pdf', 3, 'enc', ?)`,
    );
    // The answer's own instant; an instant no answer has (it went with the latest answer); another
    // request's document at the instant of a step of r1 that is not an answer.
    document.run('d-same-instant', 'r1', '2026-03-03T09:00:00.000Z');
    document.run('d-no-match', 'r1', '2026-03-03T09:00:01.000Z');
    document.run('d-other-request', 'r2', '2026-03-02T09:00:00.000Z');

    migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const rows = sqlite.prepare('select id, event_id as eventId from request_attachments order by id').all();
    expect(rows).toEqual([
      { id: 'd-no-match', eventId: answered },
      { id: 'd-other-request', eventId: refused },
      { id: 'd-same-instant', eventId: answered },
    ]);
    expect(rows).not.toContainEqual(expect.objectContaining({ eventId: clarified }));
    // The link is a foreign key: a document cannot point at a step that does not exist.
    expect(() =>
      sqlite
        .prepare(
          `insert into request_attachments (id, request_id, event_id, filename, content_type, size, content_enc, created_at)
           values ('d-dangling', 'r1', 999, 'b.pdf', 'application/pdf', 3, 'enc', '2026-03-05T09:00:00.000Z')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    sqlite.close();
  });
});
