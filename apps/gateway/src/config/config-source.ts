import type { ConfigSnapshot } from "@gatehouse/db";
import type { KeyIndex } from "../policies/key-index.ts";
import type { RuntimeConfig } from "./compile.ts";

/** A revision that went live here, as the host passes it on to its proxy workers. */
export interface LiveRevision {
  revision: number;
  /** Null when only keys changed: the compiled config stays. */
  snapshot: ConfigSnapshot | null;
  /** Whether the route rows differ from the previous snapshot's (a worker reuses its router when not). */
  routesChanged: boolean;
}

/** Where a data-plane node's config comes from now, for /readyz. */
export interface ControlPlaneStatus {
  /** Where the revision it serves was read from: the console's stream, or its own last good config on disk. */
  source: "control-plane" | "cache" | null;
  /** Whether its stream to the console is open, cannot be opened, or was refused the node token. */
  controlPlane: "connected" | "unreachable" | "refused";
}

/**
 * Where the host's config comes from: config.db beside it (`ConfigWatcher`), or a console it
 * follows as a data-plane node (`RemoteConfig`). Both compile snapshots through `LiveConfig`
 * and keep a `KeyIndex`, so the proxy, the workers and the status port see no difference.
 */
export interface ConfigSource {
  /** The config new requests use; read once per request. */
  readonly current: RuntimeConfig | null;
  /** Why the last load or compile failed, if it did. */
  readonly error: string | null;
  /** Why there is nothing to serve yet. */
  readonly waiting: string | null;
  /** Every API key, kept at the live revision. */
  readonly keys: KeyIndex;
  /** Absent when config.db is the source. */
  readonly controlPlane?: ControlPlaneStatus;
  start(): void;
  stop(): Promise<void>;
}
