CREATE TABLE `wearable_auth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`caller_id` text NOT NULL,
	`caller_type` text NOT NULL,
	`verifier` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wearable_auth_states_child_idx` ON `wearable_auth_states` (`child_id`);--> statement-breakpoint
CREATE INDEX `wearable_auth_states_expiry_idx` ON `wearable_auth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `wearable_call_budgets` (
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL,
	`blocked_until` integer NOT NULL,
	PRIMARY KEY(`provider`, `child_id`)
);
--> statement-breakpoint
CREATE TABLE `wearable_connections` (
	`child_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`external_user_id` text NOT NULL,
	`tokens` text NOT NULL,
	`scope` text NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text NOT NULL,
	`token_version` integer NOT NULL,
	`refresh_lease_owner` text,
	`refresh_lease_until` integer,
	`sync_lease_owner` text,
	`sync_lease_until` integer,
	`next_sync_at` integer NOT NULL,
	`last_sync` integer,
	`time_zone` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wearable_connections_due_idx` ON `wearable_connections` (`provider`,`status`,`next_sync_at`);--> statement-breakpoint
CREATE TABLE `wearable_revocations` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`tokens` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wearable_revocations_due_idx` ON `wearable_revocations` (`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `wearable_synced_items` (
	`provider` text NOT NULL,
	`child_id` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `child_id`, `kind`, `external_id`)
);
