-- Full-text search over the register (SQLite FTS5; this SQLite-only piece is kept isolated in
-- server/db/register-search.ts). remove_diacritics 2 folds accents and case: "bacteriemies" finds
-- "BACTÉRIÉMIES". The application keeps it in step with projects in the same transaction as each write.
CREATE VIRTUAL TABLE `projects_fts` USING fts5(
  `project_id` UNINDEXED,
  `titles`,
  `summary`,
  `details`,
  `organisations`,
  `sources`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
