ALTER TABLE `data_sources` ADD `identifiante` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `role` text DEFAULT 'answer' NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `zone` text DEFAULT 'FR' NOT NULL;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `group_id` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `part` text DEFAULT 'snds' NOT NULL;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `clock` text DEFAULT 'delivery' NOT NULL;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `source_ids` text;--> statement-breakpoint
CREATE INDEX `rights_requests_group_idx` ON `rights_requests` (`group_id`);--> statement-breakpoint
UPDATE `rights_requests` SET `part` = CASE `scope` WHEN 'snds' THEN 'snds' WHEN 'responsable' THEN 'controller' ELSE 'identifying' END;
--> statement-breakpoint
UPDATE `rights_requests` SET `insurance_scheme` = CASE `insurance_scheme` WHEN 'general' THEN 'cpam' WHEN 'agricole' THEN 'msa' ELSE 'inconnu' END WHERE `insurance_scheme` IS NOT NULL;
