import { defineConfig } from "vitest/config";

// These tests start real gateway processes, worker threads and servers. On a shared 2-core
// host they have run 3–10× slower for minutes at a time, past vitest's 5 s default; a
// deadline is not a performance bound, so it is set for the slow host.
export default defineConfig({
  test: { testTimeout: 30_000 },
});
