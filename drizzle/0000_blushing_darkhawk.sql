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
CREATE UNIQUE INDEX `users_nfc_tag_unique` ON `users` (`nfc_tag`) WHERE "users"."nfc_tag" IS NOT NULL AND "users"."nfc_tag" <> 'none';