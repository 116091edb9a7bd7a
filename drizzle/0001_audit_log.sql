CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	`user_type` text NOT NULL,
	`method` text NOT NULL,
	`route_id` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`child_id` text,
	`request_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user_at_idx` ON `audit_log` (`user_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_child_at_idx` ON `audit_log` (`child_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_route_at_idx` ON `audit_log` (`route_id`,`at`);