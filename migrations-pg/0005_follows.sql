CREATE TABLE "follow_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"follow_id" text,
	"email_index" text,
	"expires_at" text NOT NULL,
	"used_at" text
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"email_enc" text NOT NULL,
	"email_index" text NOT NULL,
	"lang" text NOT NULL,
	"frequency" text NOT NULL,
	"created_at" text NOT NULL,
	"confirmed_at" text,
	"last_change_id" integer DEFAULT 0 NOT NULL,
	"last_digest_at" text,
	"next_digest_at" text
);
--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "recipient_index" text;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "headers_enc" text;--> statement-breakpoint
ALTER TABLE "follow_tokens" ADD CONSTRAINT "follow_tokens_follow_id_follows_id_fk" FOREIGN KEY ("follow_id") REFERENCES "public"."follows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_tokens_follow_idx" ON "follow_tokens" USING btree ("follow_id");--> statement-breakpoint
CREATE INDEX "follow_tokens_expires_idx" ON "follow_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_address_target_idx" ON "follows" USING btree ("email_index","kind","target");--> statement-breakpoint
CREATE INDEX "follows_due_idx" ON "follows" USING btree ("next_digest_at");--> statement-breakpoint
CREATE INDEX "follows_created_idx" ON "follows" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_recipient_idx" ON "mail_outbox" USING btree ("recipient_index","sent_at");