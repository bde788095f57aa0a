CREATE TABLE `cache_purges` (
	`revision` integer PRIMARY KEY NOT NULL,
	`api_id` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`api_id`) REFERENCES `apis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cache_purges_api_idx` ON `cache_purges` (`api_id`,`revision`);