export * from "./schema.ts";
export * from "./tables.ts";
export * from "./upserts.ts";
