CREATE TABLE `pool_traffic_1m` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`upstream_id` text NOT NULL,
	`cache_status` text NOT NULL,
	`status_class` integer NOT NULL,
	`requests` integer NOT NULL,
	`latency_ms_sum` real NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `upstream_id`, `cache_status`, `status_class`)
);
--> statement-breakpoint
CREATE INDEX `pool_traffic_1m_api_t` ON `pool_traffic_1m` (`api_id`,`t`);--> statement-breakpoint
CREATE TABLE `pool_traffic_1s` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`upstream_id` text NOT NULL,
	`cache_status` text NOT NULL,
	`status_class` integer NOT NULL,
	`requests` integer NOT NULL,
	`latency_ms_sum` real NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `upstream_id`, `cache_status`, `status_class`)
);
--> statement-breakpoint
CREATE INDEX `pool_traffic_1s_api_t` ON `pool_traffic_1s` (`api_id`,`t`);