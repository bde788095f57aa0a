// Registered before the gateway's module graph is resolved, which the static imports of main.ts would do first.
import "@gatehouse/db/drizzle-resolve";

await import("./main.ts");
