CREATE TABLE `data_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text,
	`holder` text,
	`part_of_snds` integer DEFAULT false NOT NULL,
	`description` text
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`siren` text,
	`kind` text,
	`website` text,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `project_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`changed_at` text NOT NULL,
	`origin` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `project_changes_project_idx` ON `project_changes` (`project_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `project_organisations` (
	`project_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`role` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`project_id`, `organisation_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_organisations_org_idx` ON `project_organisations` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `project_sources` (
	`project_id` text NOT NULL,
	`source_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`project_id`, `source_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_sources_source_idx` ON `project_sources` (`source_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`numero_hdh` text,
	`titre_officiel` text NOT NULL,
	`titre_clair` text NOT NULL,
	`statut` text NOT NULL,
	`note_statut` text,
	`finalite` text NOT NULL,
	`resume` text NOT NULL,
	`resume_technique` text,
	`interet_public` text,
	`benefice_attendu` text,
	`usage_commercial` integer NOT NULL,
	`entrainement_ia` integer NOT NULL,
	`responsable_id` text NOT NULL,
	`prestataire` text,
	`financeurs` text,
	`contact_dpo` text,
	`appariement` text,
	`population` text,
	`periode_couverte` text,
	`hebergement` text,
	`procedure` text,
	`methodologie_reference` text,
	`date_depot` text,
	`date_transmission_cesrees` text,
	`date_avis_cesrees` text,
	`avis_cesrees` text,
	`date_decision_cnil` text,
	`prolongation_cnil` integer,
	`numero_decision_cnil` text,
	`url_decision_cnil` text,
	`duree_autorisee_mois` integer,
	`conservation` text,
	`date_debut` text,
	`date_fin` text,
	`resultats_urls` text,
	`resultats_resume` text,
	`date_resultats` text,
	`opposition_applicable` integer NOT NULL,
	`motif_exclusion_opposition` text,
	`champs_fictifs` text,
	`cree_le` text NOT NULL,
	`mis_a_jour` text NOT NULL,
	FOREIGN KEY (`responsable_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `projects_statut_idx` ON `projects` (`statut`);--> statement-breakpoint
CREATE INDEX `projects_finalite_idx` ON `projects` (`finalite`);--> statement-breakpoint
CREATE INDEX `projects_mis_a_jour_idx` ON `projects` (`mis_a_jour`);--> statement-breakpoint
CREATE INDEX `projects_responsable_idx` ON `projects` (`responsable_id`);