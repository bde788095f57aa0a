CREATE TABLE `health_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`upstream_id` text NOT NULL,
	`target_id` text NOT NULL,
	`url` text NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `health_events_upstream_id` ON `health_events` (`upstream_id`,`id`);--> statement-breakpoint
CREATE TABLE `traffic_codes_1h` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`status` integer NOT NULL,
	`refusal` text NOT NULL,
	`requests` integer NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `status`, `refusal`)
);
--> statement-breakpoint
CREATE INDEX `traffic_codes_1h_api_t` ON `traffic_codes_1h` (`api_id`,`t`);--> statement-breakpoint
CREATE TABLE `traffic_codes_1m` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`status` integer NOT NULL,
	`refusal` text NOT NULL,
	`requests` integer NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `status`, `refusal`)
);
--> statement-breakpoint
CREATE INDEX `traffic_codes_1m_api_t` ON `traffic_codes_1m` (`api_id`,`t`);