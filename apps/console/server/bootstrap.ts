import "server-only";
import { issueSetupToken } from "@gatehouse/admin-api";
import { consoleServices } from "./admin-api.ts";
import { env } from "./env.ts";

/** Runs once when the console starts: migrate, and while no admin exists print a one-time setup link. */
export function bootstrapConsole(): void {
  const { db } = consoleServices();
  const token = issueSetupToken(db);
  console.log(`[console] config store: ${env.dataDir}/config.db`);
  if (token) {
    console.log(
      `[console] No admin yet. Create the first one with this one-time link:\n[console]   Setup link: ${env.consoleUrl}/setup?token=${token}`,
    );
  }
}
