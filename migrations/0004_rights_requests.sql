CREATE TABLE `request_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`answers_enc` text NOT NULL,
	`request_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_drafts_expires_idx` ON `request_drafts` (`expires_at`);--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`message_enc` text,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `request_events_request_idx` ON `request_events` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `request_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`request_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `request_tokens_request_idx` ON `request_tokens` (`request_id`);--> statement-breakpoint
CREATE TABLE `rights_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`reference` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`project_id` text,
	`organisation_id` text,
	`on_behalf` text NOT NULL,
	`insurance_scheme` text,
	`lang` text NOT NULL,
	`status` text NOT NULL,
	`identity_enc` text,
	`details_enc` text,
	`email_index` text,
	`nir_index` text,
	`idempotency_key` text,
	`created_at` text NOT NULL,
	`confirmed_at` text,
	`received_on` text,
	`due_on` text,
	`extended_due_on` text,
	`closed_at` text,
	`erased_at` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rights_requests_reference_unique` ON `rights_requests` (`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `rights_requests_idempotency_key_unique` ON `rights_requests` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `rights_requests_status_idx` ON `rights_requests` (`status`,`due_on`);--> statement-breakpoint
CREATE INDEX `rights_requests_email_idx` ON `rights_requests` (`email_index`,`created_at`);--> statement-breakpoint
CREATE INDEX `rights_requests_nir_idx` ON `rights_requests` (`nir_index`);--> statement-breakpoint
CREATE INDEX `rights_requests_org_idx` ON `rights_requests` (`organisation_id`,`status`,`due_on`);