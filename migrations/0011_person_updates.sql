ALTER TABLE `rights_requests` ADD `person_update` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `person_update_at` text;