PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_wearable_call_budgets` (
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL,
	`blocked_until` integer NOT NULL,
	PRIMARY KEY(`child_id`, `provider`)
);
--> statement-breakpoint
INSERT INTO `__new_wearable_call_budgets`("provider", "child_id", "window_start", "used", "blocked_until") SELECT "provider", "child_id", "window_start", "used", "blocked_until" FROM `wearable_call_budgets`;--> statement-breakpoint
DROP TABLE `wearable_call_budgets`;--> statement-breakpoint
ALTER TABLE `__new_wearable_call_budgets` RENAME TO `wearable_call_budgets`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_wearable_synced_items` (
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`child_id`, `provider`, `kind`, `external_id`)
);
--> statement-breakpoint
INSERT INTO `__new_wearable_synced_items`("provider", "child_id", "kind", "external_id", "synced_at") SELECT "provider", "child_id", "kind", "external_id", "synced_at" FROM `wearable_synced_items`;--> statement-breakpoint
DROP TABLE `wearable_synced_items`;--> statement-breakpoint
ALTER TABLE `__new_wearable_synced_items` RENAME TO `wearable_synced_items`;