CREATE TABLE `request_facts` (
	`request_id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`confirmed_at` text,
	`received_on` text,
	`due_on` text,
	`extended_due_on` text,
	`extended_at` text,
	`answer_due_on` text,
	`answered_at` text,
	`answer_type` text,
	`refusal_code` text,
	`withdrawn_at` text,
	`expired_at` text
);
--> statement-breakpoint
CREATE INDEX `request_facts_open_due_idx` ON `request_facts` (`answer_due_on`) WHERE answered_at is null and withdrawn_at is null and expired_at is null;--> statement-breakpoint
CREATE INDEX `request_facts_answered_idx` ON `request_facts` (`answered_at`);--> statement-breakpoint
CREATE INDEX `request_facts_withdrawn_idx` ON `request_facts` (`withdrawn_at`);--> statement-breakpoint
CREATE TABLE `statistics_counters` (
	`month` text NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`measure` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`month`, `organisation_id`, `kind`, `scope`, `measure`)
);
--> statement-breakpoint
CREATE INDEX `statistics_counters_org_idx` ON `statistics_counters` (`organisation_id`,`month`);--> statement-breakpoint
CREATE TABLE `statistics_frozen_counters` (
	`month` text NOT NULL,
	`version` integer NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`measure` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`month`, `version`, `organisation_id`, `kind`, `scope`, `measure`)
);
--> statement-breakpoint
CREATE TABLE `statistics_months` (
	`month` text NOT NULL,
	`version` integer NOT NULL,
	`computed_at` text NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`month`, `version`)
);
