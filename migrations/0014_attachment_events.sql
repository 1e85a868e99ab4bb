-- Each answer document is linked to the answer (or refusal) step it came with, instead of sharing its
-- instant. The table is rebuilt: SQLite cannot add a NOT NULL column without a default. Existing rows
-- keep the match they had by timestamp: the answer step of the same instant, else (as the pages did)
-- the request's latest answer, else its latest step.
CREATE TABLE `__new_request_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`content_enc` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `rights_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `request_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_request_attachments`("id", "request_id", "event_id", "filename", "content_type", "size", "content_enc", "created_at")
SELECT a.`id`, a.`request_id`,
	coalesce(
		(SELECT e.`id` FROM `request_events` e WHERE e.`request_id` = a.`request_id` AND e.`kind` IN ('answered', 'refused') AND e.`at` = a.`created_at` ORDER BY e.`id` DESC LIMIT 1),
		(SELECT e.`id` FROM `request_events` e WHERE e.`request_id` = a.`request_id` AND e.`kind` IN ('answered', 'refused') ORDER BY e.`at` DESC, e.`id` DESC LIMIT 1),
		(SELECT e.`id` FROM `request_events` e WHERE e.`request_id` = a.`request_id` ORDER BY e.`at` DESC, e.`id` DESC LIMIT 1)
	),
	a.`filename`, a.`content_type`, a.`size`, a.`content_enc`, a.`created_at`
FROM `request_attachments` a;
--> statement-breakpoint
DROP TABLE `request_attachments`;--> statement-breakpoint
ALTER TABLE `__new_request_attachments` RENAME TO `request_attachments`;--> statement-breakpoint
CREATE INDEX `request_attachments_request_idx` ON `request_attachments` (`request_id`);--> statement-breakpoint
CREATE INDEX `request_attachments_event_idx` ON `request_attachments` (`event_id`);
