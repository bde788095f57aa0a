import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./packages/db/src/analytics/schema.ts",
  out: "./migrations/analytics",
});
