ALTER TABLE `wearable_connections` ADD `last_outcome` text;--> statement-breakpoint
ALTER TABLE `wearable_connections` ADD `last_outcome_at` integer;--> statement-breakpoint
ALTER TABLE `wearable_connections` ADD `last_success_at` integer;--> statement-breakpoint
ALTER TABLE `wearable_connections` ADD `no_data` integer DEFAULT false NOT NULL;