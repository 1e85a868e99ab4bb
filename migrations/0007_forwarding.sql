CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`channel_id` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_owner` text,
	`lease_until` text,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	`dead_at` text,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `organisation_channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_request_idx` ON `deliveries` (`request_id`);--> statement-breakpoint
CREATE TABLE `organisation_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`config_enc` text NOT NULL,
	`lang` text DEFAULT 'fr' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organisation_channels_org_idx` ON `organisation_channels` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `received_updates` (
	`organisation_id` text NOT NULL,
	`update_id` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`organisation_id`, `update_id`)
);
--> statement-breakpoint
CREATE INDEX `received_updates_at_idx` ON `received_updates` (`received_at`);--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `recipient_enc` text;--> statement-breakpoint
ALTER TABLE `request_events` ADD `detail` text;