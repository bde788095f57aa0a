CREATE TABLE `certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`snis` text NOT NULL,
	`cert` text NOT NULL,
	`sealed_key` text NOT NULL,
	`not_before` text NOT NULL,
	`not_after` text NOT NULL,
	`issuer` text NOT NULL,
	`subject` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `routes` ADD `https_only` integer DEFAULT false NOT NULL;