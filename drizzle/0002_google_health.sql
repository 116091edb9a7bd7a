CREATE TABLE `wearable_notifications` (
	`digest` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wearable_notifications_child_idx` ON `wearable_notifications` (`child_id`);--> statement-breakpoint
CREATE INDEX `wearable_notifications_received_idx` ON `wearable_notifications` (`received_at`);--> statement-breakpoint
DROP INDEX `wearable_revocations_due_idx`;--> statement-breakpoint
ALTER TABLE `wearable_revocations` ADD `state` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `wearable_revocations` ADD `last_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `wearable_revocations_due_idx` ON `wearable_revocations` (`state`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `wearable_connections` ADD `legacy_user_id` text;--> statement-breakpoint
CREATE INDEX `wearable_connections_external_idx` ON `wearable_connections` (`provider`,`external_user_id`);--> statement-breakpoint
ALTER TABLE `wearable_synced_items` ADD `started_at` integer;--> statement-breakpoint
CREATE INDEX `wearable_synced_items_instant_idx` ON `wearable_synced_items` (`child_id`,`kind`,`started_at`);