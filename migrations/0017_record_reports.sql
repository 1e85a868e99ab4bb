CREATE TABLE `record_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`message_enc` text NOT NULL,
	`email_enc` text,
	`lang` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`handled_at` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `record_reports_status_idx` ON `record_reports` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `record_reports_project_idx` ON `record_reports` (`project_id`);--> statement-breakpoint
-- The mail outbox is rebuilt: SQLite cannot drop a NOT NULL constraint. A mail may now be about no request
-- (a record report handled: its recipient and language are then stored with it). Existing rows keep their
-- request and get no language of their own (NULL: the request's, or French for staff alerts). The PRAGMA
-- foreign_keys lines drizzle-kit writes are left out: drizzle's migrator applies migrations inside a transaction, where
-- they do nothing, and no table refers to mail_outbox.
CREATE TABLE `__new_mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text,
	`template` text NOT NULL,
	`vars_enc` text NOT NULL,
	`recipient_enc` text,
	`lang` text,
	`created_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`sent_at` text,
	`dead_at` text,
	`last_error` text,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_mail_outbox`("id", "request_id", "template", "vars_enc", "recipient_enc", "lang", "created_at", "attempts", "next_attempt_at", "sent_at", "dead_at", "last_error") SELECT "id", "request_id", "template", "vars_enc", "recipient_enc", NULL, "created_at", "attempts", "next_attempt_at", "sent_at", "dead_at", "last_error" FROM `mail_outbox`;--> statement-breakpoint
DROP TABLE `mail_outbox`;--> statement-breakpoint
ALTER TABLE `__new_mail_outbox` RENAME TO `mail_outbox`;--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`sent_at`,`dead_at`,`next_attempt_at`);