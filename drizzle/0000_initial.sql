CREATE TABLE `children_group_members` (
	`group_id` text NOT NULL,
	`child_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`group_id`, `child_id`)
);
--> statement-breakpoint
CREATE INDEX `children_group_members_child_idx` ON `children_group_members` (`child_id`);--> statement-breakpoint
CREATE TABLE `children_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`school_class` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `children_groups_owner_name_unique` ON `children_groups` (`owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `children_groups_owner_created_idx` ON `children_groups` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `daily_logs` (
	`child_id` text NOT NULL,
	`resource` text NOT NULL,
	`date` text NOT NULL,
	`value` real NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`child_id`, `resource`, `date`)
);
--> statement-breakpoint
CREATE TABLE `environments` (
	`id` text PRIMARY KEY NOT NULL,
	`institution_id` text NOT NULL,
	`timestamp` integer NOT NULL,
	`local` text NOT NULL,
	`room` text NOT NULL,
	`latitude` text,
	`longitude` text,
	`measurements` text NOT NULL,
	`climatized` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `environments_institution_created_idx` ON `environments` (`institution_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `environments_institution_timestamp_idx` ON `environments` (`institution_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `family_children` (
	`family_id` text NOT NULL,
	`child_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`family_id`, `child_id`)
);
--> statement-breakpoint
CREATE INDEX `family_children_child_idx` ON `family_children` (`child_id`);--> statement-breakpoint
CREATE TABLE `institutions` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`latitude` text,
	`longitude` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `institutions_name_unique` ON `institutions` (`name`);--> statement-breakpoint
CREATE INDEX `institutions_created_idx` ON `institutions` (`created_at`);--> statement-breakpoint
CREATE TABLE `measurements` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`kind` text NOT NULL,
	`timestamp` integer NOT NULL,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`body_fat_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `measurements_child_kind_timestamp_unique` ON `measurements` (`child_id`,`kind`,`timestamp`);--> statement-breakpoint
CREATE INDEX `measurements_child_kind_created_idx` ON `measurements` (`child_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `measurements_body_fat_idx` ON `measurements` (`body_fat_id`);--> statement-breakpoint
CREATE TABLE `physical_activities` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`duration` integer NOT NULL,
	`name` text NOT NULL,
	`calories` real NOT NULL,
	`steps` integer,
	`distance` real,
	`levels` text,
	`heart_rate` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `physical_activities_child_start_unique` ON `physical_activities` (`child_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `physical_activities_child_created_idx` ON `physical_activities` (`child_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `rate_limit_windows` (
	`key` text PRIMARY KEY NOT NULL,
	`hits` integer NOT NULL,
	`reset_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revoked_subjects` (
	`subject_id` text PRIMARY KEY NOT NULL,
	`revoked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sleep` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`duration` integer NOT NULL,
	`type` text NOT NULL,
	`data_set` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sleep_child_start_unique` ON `sleep` (`child_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `sleep_child_created_idx` ON `sleep` (`child_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`institution_id` text,
	`last_login` integer,
	`created_at` integer NOT NULL,
	`gender` text,
	`age` text,
	`age_calc_date` text,
	`last_sync` integer,
	`fitbit_status` text,
	`nfc_tag` text,
	`tag_ass_time` integer,
	`application_name` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_type_username_unique` ON `users` (`type`,`username`);--> statement-breakpoint
CREATE INDEX `users_username_idx` ON `users` (`username`);--> statement-breakpoint
CREATE INDEX `users_type_created_idx` ON `users` (`type`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_institution_idx` ON `users` (`institution_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_nfc_tag_unique` ON `users` (`nfc_tag`) WHERE "users"."nfc_tag" IS NOT NULL AND "users"."nfc_tag" <> 'none';--> statement-breakpoint
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
	PRIMARY KEY(`child_id`, `provider`)
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
	PRIMARY KEY(`child_id`, `provider`, `kind`, `external_id`)
);
