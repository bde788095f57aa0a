CREATE TABLE `key_usage` (
	`key_id` text PRIMARY KEY NOT NULL,
	`last_used_at` integer NOT NULL
);
