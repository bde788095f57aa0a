CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`limits` text DEFAULT '{}' NOT NULL,
	`quota` text DEFAULT '{}' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_name_unique` ON `plans` (`name`);--> statement-breakpoint
ALTER TABLE `consumers` ADD `plan_id` text REFERENCES plans(id);--> statement-breakpoint
CREATE INDEX `consumers_plan_idx` ON `consumers` (`plan_id`);--> statement-breakpoint
ALTER TABLE `consumers` DROP COLUMN `plan`;