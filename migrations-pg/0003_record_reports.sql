CREATE TABLE "record_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"message_enc" text NOT NULL,
	"email_enc" text,
	"lang" text NOT NULL,
	"status" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"handled_at" text
);
--> statement-breakpoint
ALTER TABLE "mail_outbox" ALTER COLUMN "request_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "harvest_sources" ADD COLUMN "disabled_at" text;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "lang" text;--> statement-breakpoint
ALTER TABLE "record_reports" ADD CONSTRAINT "record_reports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "record_reports_status_idx" ON "record_reports" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "record_reports_project_idx" ON "record_reports" USING btree ("project_id");