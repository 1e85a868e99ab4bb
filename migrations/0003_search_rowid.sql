ALTER TABLE `projects` ADD `search_rowid` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_search_rowid_idx` ON `projects` (`search_rowid`);