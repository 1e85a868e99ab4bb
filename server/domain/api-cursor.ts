/**
 * The read-only API's page cursors (server/routes/api-v1.ts). A cursor is opaque to clients: the sort
 * and the key of the last row of a page, as base64url JSON, read back only by the same list. It holds
 * nothing but public register values (dates, titles, ids), so it needs no signature: a cursor edited by
 * hand is checked like any parameter and at worst starts the page elsewhere.
 */
import { z } from 'zod';
import { SORTS } from './register-query';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const text = z.string().max(600);

/** Where the next page of projects starts: the sort and the last row's values of its columns, the id last. */
export type ProjectSortKey =
  | { sort: 'recent'; key: [updated: string, id: string] }
  | { sort: 'titre'; key: [title: string, id: string] }
  | { sort: 'statut'; key: [rank: number, updated: string, id: string] }
  | { sort: 'pertinence'; key: [score: number, updated: string, id: string] };

const projectKey = z.discriminatedUnion('sort', [
  z.object({ sort: z.literal('recent'), key: z.tuple([date, text]) }),
  z.object({ sort: z.literal('titre'), key: z.tuple([text, text]) }),
  z.object({ sort: z.literal('statut'), key: z.tuple([z.number().int().min(0).max(99), date, text]) }),
  z.object({ sort: z.literal('pertinence'), key: z.tuple([z.number().finite(), date, text]) }),
]);
/** Organisations and sources are listed by id. */
const idKey = z.object({ sort: z.literal('id'), key: z.tuple([text]) });

/** Longest cursor read: a key of the longest title fits well under it. */
export const MAX_CURSOR_LENGTH = 2000;

export function encodeCursor(key: ProjectSortKey | { sort: 'id'; key: [string] }): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A projects cursor: its key, 'sort' when it was made for another sort than `sort`, or 'invalid'. */
export function decodeProjectCursor(cursor: string, sort: (typeof SORTS)[number]): ProjectSortKey | 'invalid' | 'sort' {
  const parsed = projectKey.safeParse(decode(cursor));
  if (!parsed.success) return 'invalid';
  return parsed.data.sort === sort ? (parsed.data as ProjectSortKey) : 'sort';
}

/** An organisations or sources cursor: the last id read, or 'invalid'. */
export function decodeIdCursor(cursor: string): string | 'invalid' {
  const parsed = idKey.safeParse(decode(cursor));
  return parsed.success ? parsed.data.key[0] : 'invalid';
}
