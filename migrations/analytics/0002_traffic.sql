CREATE TABLE `traffic_1h` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`route_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`status_class` integer NOT NULL,
	`requests` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`bytes_out` integer NOT NULL,
	`latency_ms_sum` real NOT NULL,
	`upstream_ms_sum` real NOT NULL,
	`upstream_count` integer NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `route_id`, `consumer_id`, `status_class`)
);
--> statement-breakpoint
CREATE INDEX `traffic_1h_api_t` ON `traffic_1h` (`api_id`,`t`);--> statement-breakpoint
CREATE INDEX `traffic_1h_consumer_t` ON `traffic_1h` (`consumer_id`,`t`);--> statement-breakpoint
CREATE TABLE `traffic_1m` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`route_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`status_class` integer NOT NULL,
	`requests` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`bytes_out` integer NOT NULL,
	`latency_ms_sum` real NOT NULL,
	`upstream_ms_sum` real NOT NULL,
	`upstream_count` integer NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `route_id`, `consumer_id`, `status_class`)
);
--> statement-breakpoint
CREATE INDEX `traffic_1m_api_t` ON `traffic_1m` (`api_id`,`t`);--> statement-breakpoint
CREATE INDEX `traffic_1m_consumer_t` ON `traffic_1m` (`consumer_id`,`t`);--> statement-breakpoint
CREATE TABLE `traffic_1s` (
	`t` integer NOT NULL,
	`api_id` text NOT NULL,
	`route_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`status_class` integer NOT NULL,
	`requests` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`bytes_out` integer NOT NULL,
	`latency_ms_sum` real NOT NULL,
	`upstream_ms_sum` real NOT NULL,
	`upstream_count` integer NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`t`, `api_id`, `route_id`, `consumer_id`, `status_class`)
);
--> statement-breakpoint
CREATE INDEX `traffic_1s_api_t` ON `traffic_1s` (`api_id`,`t`);--> statement-breakpoint
CREATE INDEX `traffic_1s_consumer_t` ON `traffic_1s` (`consumer_id`,`t`);