CREATE TABLE `quota_usage` (
	`counter` text NOT NULL,
	`period_start` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`counter`, `period_start`)
);
