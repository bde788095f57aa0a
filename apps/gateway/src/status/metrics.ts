import { POLICY_METRICS } from "@gatehouse/policies";
import { LATENCY_BUCKETS_SECONDS, type TrafficMetrics } from "../analytics/traffic-metrics.ts";
import type { RuntimeConfig } from "../config/compile.ts";
import type { HealthRegistry } from "../health/registry.ts";
import type { PolicyCounts } from "../policies/policy-counts.ts";
import type { Serving } from "./app.ts";

/** Prometheus label value escaping: backslash, double quote and newline. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The status port's /metrics in the Prometheus text format (0.0.4). */
export function renderMetrics(
  config: Pick<RuntimeConfig, "revision" | "apiNames"> | null,
  health: HealthRegistry,
  serving: Pick<Serving, "running" | "requestsByWorker" | "restarts" | "openConnections">,
  traffic?: TrafficMetrics,
  policyCounts?: PolicyCounts,
): string {
  const lines: string[] = [];
  const metric = (name: string, type: "gauge" | "counter" | "histogram", help: string) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  metric("gatehouse_config_revision", "gauge", "The config revision the gateway serves (-1 before the first load).");
  lines.push(`gatehouse_config_revision ${config?.revision ?? -1}`);

  metric("gatehouse_workers", "gauge", "Proxy worker threads running.");
  lines.push(`gatehouse_workers ${serving.running()}`);
  metric(
    "gatehouse_worker_requests_total",
    "counter",
    "Requests each proxy worker took, to see how evenly they share the load.",
  );
  serving.requestsByWorker().forEach((requests, worker) => {
    lines.push(`gatehouse_worker_requests_total{worker="${worker}"} ${requests}`);
  });
  metric("gatehouse_client_connections", "gauge", "Client connections open on the proxy port.");
  lines.push(`gatehouse_client_connections ${serving.openConnections()}`);
  metric("gatehouse_worker_restarts_total", "counter", "Proxy workers started in place of one that exited.");
  lines.push(`gatehouse_worker_restarts_total ${serving.restarts}`);

  if (traffic !== undefined) renderTraffic(lines, metric, traffic, config?.apiNames);
  if (policyCounts !== undefined) {
    for (const { name, help } of POLICY_METRICS) {
      metric(name, "counter", help);
      for (const [, policyId, outcome, n] of policyCounts.of(name))
        lines.push(`${name}{policy="${label(policyId)}",outcome="${label(outcome)}"} ${n}`);
    }
  }

  const targetRows: { labels: string; healthy: number; inflight: number; failures: number }[] = [];
  const poolRows: { labels: string; retries: number; denied: number }[] = [];
  for (const pool of health.pools()) {
    const poolLabels = `upstream_id="${label(pool.id)}",upstream="${label(pool.name)}"`;
    poolRows.push({ labels: poolLabels, retries: pool.retries, denied: pool.retriesDenied });
    for (const target of pool.members) {
      targetRows.push({
        labels: `${poolLabels},target="${label(target.url)}",target_id="${label(target.targetId)}"`,
        healthy: target.state === "healthy" ? 1 : 0,
        inflight: target.inflight,
        failures: target.failuresTotal,
      });
    }
  }
  metric("gatehouse_upstream_target_healthy", "gauge", "1 when the target takes traffic normally, else 0.");
  for (const row of targetRows) lines.push(`gatehouse_upstream_target_healthy{${row.labels}} ${row.healthy}`);
  metric("gatehouse_upstream_target_inflight", "gauge", "Requests in flight to the target.");
  for (const row of targetRows) lines.push(`gatehouse_upstream_target_inflight{${row.labels}} ${row.inflight}`);
  metric("gatehouse_upstream_target_failures_total", "counter", "Failed requests and probes of the target.");
  for (const row of targetRows) lines.push(`gatehouse_upstream_target_failures_total{${row.labels}} ${row.failures}`);
  metric("gatehouse_upstream_retries_total", "counter", "Retries sent on another target.");
  for (const row of poolRows) lines.push(`gatehouse_upstream_retries_total{${row.labels}} ${row.retries}`);
  metric("gatehouse_upstream_retries_denied_total", "counter", "Retries the retry budget refused.");
  for (const row of poolRows) lines.push(`gatehouse_upstream_retries_denied_total{${row.labels}} ${row.denied}`);

  const cpu = process.cpuUsage();
  metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  lines.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`);
  metric("process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.");
  lines.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
  metric("process_uptime_seconds", "gauge", "Seconds since the gateway process started.");
  lines.push(`process_uptime_seconds ${process.uptime()}`);
  metric("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
  lines.push(`process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`);
  return `${lines.join("\n")}\n`;
}

/** Requests by api and status, and latency histograms by api (and by consumer when that is on). */
function renderTraffic(
  lines: string[],
  metric: (name: string, type: "counter" | "histogram", help: string) => void,
  traffic: TrafficMetrics,
  apiNames: ReadonlyMap<string, string> | undefined,
): void {
  const series = [...traffic.series()].map((counters) => {
    const api = apiNames?.get(counters.apiId) ?? "";
    let labels = `api_id="${label(counters.apiId)}",api="${label(api)}"`;
    if (traffic.consumerLabels) labels += `,consumer_id="${label(counters.consumerId)}"`;
    return { labels, counters };
  });
  metric("gatehouse_requests_total", "counter", "Requests that matched a route, by api and response status.");
  for (const { labels, counters } of series) {
    for (const [status, count] of counters.byStatus)
      lines.push(`gatehouse_requests_total{${labels},status="${status}"} ${count}`);
  }
  metric(
    "gatehouse_request_duration_seconds",
    "histogram",
    "Time from request to the end of the response at the gateway.",
  );
  for (const { labels, counters } of series) {
    let cumulative = 0;
    LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
      cumulative += counters.buckets[i] as number;
      lines.push(`gatehouse_request_duration_seconds_bucket{${labels},le="${le}"} ${cumulative}`);
    });
    lines.push(`gatehouse_request_duration_seconds_bucket{${labels},le="+Inf"} ${counters.count}`);
    lines.push(`gatehouse_request_duration_seconds_sum{${labels}} ${counters.latencySumSeconds}`);
    lines.push(`gatehouse_request_duration_seconds_count{${labels}} ${counters.count}`);
  }
}
