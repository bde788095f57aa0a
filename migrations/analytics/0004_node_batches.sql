CREATE TABLE `node_batches` (
	`node_id` text NOT NULL,
	`run` text NOT NULL,
	`seq` integer NOT NULL,
	`dropped` integer NOT NULL,
	PRIMARY KEY(`node_id`, `run`)
);
