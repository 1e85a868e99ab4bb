-- French stemming in the register's search (server/db/register-search.ts): the text columns now hold the
-- stems of their words, and `words` holds the texts as written, for prefixes of a word being typed. The
-- index is rebuilt from the projects at the next start (indexMissingProjects), which finds every project
-- without an index row.
DROP TABLE `projects_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `projects_fts` USING fts5(
  `project_id` UNINDEXED,
  `titles`,
  `summary`,
  `details`,
  `organisations`,
  `sources`,
  `words`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);--> statement-breakpoint
UPDATE `projects` SET `search_rowid` = NULL;
