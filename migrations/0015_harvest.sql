CREATE TABLE `harvest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`outcome` text NOT NULL,
	`failure` text,
	`http_status` integer,
	`errors` text,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`withdrawn` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `harvest_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `harvest_runs_source_idx` ON `harvest_runs` (`source_id`,`id`);--> statement-breakpoint
CREATE TABLE `harvest_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`schedule` text NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_read_at` text,
	`next_run_at` text NOT NULL,
	`lease_until` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `harvest_sources_due_idx` ON `harvest_sources` (`next_run_at`);--> statement-breakpoint
CREATE INDEX `harvest_sources_org_idx` ON `harvest_sources` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `harvested_projects` (
	`project_id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`first_read_at` text NOT NULL,
	`withdrawn_since` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `harvest_sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `harvested_projects_source_idx` ON `harvested_projects` (`source_id`);