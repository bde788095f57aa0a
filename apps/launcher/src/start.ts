// Registered before the launcher's module graph is resolved, which the static imports of launch.ts would do first.
import "@gatehouse/db/drizzle-resolve";

await import("./launch.ts");
