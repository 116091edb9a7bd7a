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
CREATE INDEX `sleep_child_created_idx` ON `sleep` (`child_id`,`created_at`);