// A worker thread resolves modules afresh: the gateway's resolve shortcut is registered here too, before the worker's graph loads.
import "@gatehouse/db/drizzle-resolve";

await import("./proxy-worker.ts");
