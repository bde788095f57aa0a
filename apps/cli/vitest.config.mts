import { defineConfig } from "vitest/config";

// Each test starts the CLI as its own process (about a second on a shared 2-core host, more
// when it is busy); a deadline is not a performance bound, so it is set for the slow host.
// (.mts: this package is CommonJS so that main.ts can greet an old Node; see src/main.ts.)
export default defineConfig({
  test: { testTimeout: 30_000 },
});
