import type { ConfigSnapshot } from "@gatehouse/db";
import type { QuotaTableShare, WindowTableShare } from "@gatehouse/policies";
import type { GatewayRequestLogQuery, RequestLogEntry } from "@gatehouse/shared";
import type { SampleBatch } from "../analytics/sample-columns.ts";
import type { TrafficOptions } from "../analytics/traffic.ts";
import type { EdgeLimits } from "../edge/limits.ts";
import type { TargetState } from "../health/registry.ts";
import type { KeyIndexShare } from "../policies/key-index.ts";
import type { PolicyCount } from "../policies/policy-counts.ts";
import type { PemPair } from "../tls/sni-contexts.ts";

/** A revision as it crosses to a worker; `routes` is null when they are the previous snapshot's. */
export interface RevisionMessage {
  revision: number;
  snapshot: (Omit<ConfigSnapshot, "routes"> & { routes: ConfigSnapshot["routes"] | null }) | null;
  /** The states of every target, as the host has them once this revision is live. */
  states: TargetState[];
  /** The host's key index at this revision: new buffers after a full load or growth, the same ones otherwise. */
  keys: KeyIndexShare;
}

/** What a proxy worker starts with. */
export interface ProxyWorkerData {
  index: number;
  host: string;
  port: number;
  limits: EdgeLimits;
  traffic: TrafficOptions | false;
  /** GATEHOUSE_ACCESS_LOG=json: each request as a JSON line on stdout. */
  accessLog: boolean;
  /** The host's open-connection counts (OpenConnections). */
  connections: SharedArrayBuffer;
  /** Requests in flight per target (InflightCounts). */
  inflight: SharedArrayBuffer;
  /** The host's rate-limit counters (WindowTable) and quota counts (QuotaTable). */
  windows: WindowTableShare;
  quotas: QuotaTableShare;
  /** The live revision, in full; null before the first load. */
  revision: RevisionMessage | null;
  /** The host's key index, for requests before the first revision arrives. */
  keys: KeyIndexShare;
  /** The TLS port, when it is on. */
  tls: WorkerTls | null;
}

/** What a worker needs to serve the TLS port: the port, the default certificate, the key that opens uploaded ones. */
export interface WorkerTls {
  port: number;
  fallback: PemPair;
  secretsKey: Uint8Array;
}

export type HostMessage =
  | ({ type: "revision" } & RevisionMessage)
  | { type: "health"; states: TargetState[] }
  /** Send a report now: the status port answers from up-to-date counts. */
  | { type: "report" }
  | { type: "requests"; id: number; filter: GatewayRequestLogQuery }
  | { type: "drain"; timeoutMs: number };

/**
 * A run of one target's request outcomes, in order: `successes` in a row (their latencies
 * summed), then a failure when `failure` is set. The host replays them into its breaker.
 */
export type Outcome = [
  key: string,
  successes: number,
  latencySumMs: number,
  failure: string | null,
  trial: boolean,
  /** The failure took the worker past the passive threshold: the host's breaker trips. */
  tripped: boolean,
];

/** What a worker counted since its last report. */
export interface WorkerReport {
  requests: number;
  samples: SampleBatch | null;
  outcomes: Outcome[];
  /** Retries and retries the budget denied, per pool id. */
  retries: Array<[poolId: string, retries: number, denied: number]>;
  /** When each API key was last used. */
  keysUsed: Array<[keyId: string, at: number]>;
  /** Quota increments for the host to persist; the shared counts already hold them. */
  quotas: Array<[counter: string, periodStart: number, n: number]>;
  /** What policies counted (mirror copies), for /metrics. */
  policyCounts: PolicyCount[];
}

export type WorkerMessage =
  | { type: "listening" }
  /** The worker stopped accepting connections (a drain began). */
  | { type: "closed" }
  | { type: "served"; revision: number }
  | { type: "report"; report: WorkerReport }
  | { type: "outcomes"; outcomes: Outcome[] }
  | { type: "requests"; id: number; entries: RequestLogEntry[]; sampleRate: number }
  | { type: "drained" };
