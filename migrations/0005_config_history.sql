CREATE TABLE `config_versions` (
	`kind` text NOT NULL,
	`object_id` text NOT NULL,
	`revision` integer NOT NULL,
	`name` text NOT NULL,
	`rows` text,
	PRIMARY KEY(`kind`, `object_id`, `revision`)
);
--> statement-breakpoint
CREATE INDEX `config_versions_revision_idx` ON `config_versions` (`revision`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`revision` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`source` text DEFAULT 'api' NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "revision", "at", "actor", "source", "action", "entity_type", "entity_id", "before", "after") SELECT "revision", "revision", "at", "actor", 'api', "action", "entity_type", "entity_id", "before", "after" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `audit_log_revision_idx` ON `audit_log` (`revision`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);