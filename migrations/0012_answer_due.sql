DROP INDEX `rights_requests_status_idx`;--> statement-breakpoint
DROP INDEX `rights_requests_org_idx`;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `extended_at` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `extension_reason_enc` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `answer_due_on` text;--> statement-breakpoint
CREATE INDEX `rights_requests_open_queue_idx` ON `rights_requests` (`organisation_id`,`answer_due_on`) WHERE status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee');--> statement-breakpoint
CREATE INDEX `rights_requests_open_due_idx` ON `rights_requests` (`answer_due_on`) WHERE status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee');--> statement-breakpoint
CREATE INDEX `rights_requests_status_idx` ON `rights_requests` (`status`,`answer_due_on`);--> statement-breakpoint
CREATE INDEX `rights_requests_org_idx` ON `rights_requests` (`organisation_id`,`status`,`answer_due_on`);--> statement-breakpoint
-- Existing requests: the extension's day from their timeline, and the date that applies from it.
UPDATE `rights_requests` SET `extended_at` = (SELECT min(e.`at`) FROM `request_events` e WHERE e.`request_id` = `rights_requests`.`id` AND e.`kind` = 'extended');--> statement-breakpoint
UPDATE `rights_requests` SET `answer_due_on` = CASE WHEN `extended_at` IS NOT NULL THEN coalesce(`extended_due_on`, `due_on`) ELSE `due_on` END;
