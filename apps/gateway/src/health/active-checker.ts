import { Agent } from "undici";
import type { CompiledPoolTls } from "../upstream-tls/compile-pool-tls.ts";
import type { ActiveSettings, TargetHealth } from "./target-health.ts";

/** What makes a pool's checker the same across a reload: its settings and its TLS. */
export const checkerKey = (settings: ActiveSettings, tls: CompiledPoolTls) =>
  `${JSON.stringify(settings)}|${tls.digest}`;

/**
 * Probes every target of one pool on a timer: GET `path` (under the target URL's own path),
 * a pass when the answer comes within `timeoutMs` with an expected status. Each target has
 * at most one probe out. The timer is unref'd and stopped when the pool goes or changes.
 * Probes reach https:// targets with the pool's TLS settings, as its requests do, so a target
 * behind the team's own CA is not taken out for a certificate the gateway would accept.
 */
export class ActiveChecker {
  /** The settings this checker runs with, as JSON; a different key means a new checker. */
  readonly key: string;
  targets: readonly TargetHealth[] = [];
  readonly #settings: ActiveSettings;
  readonly #agent: Agent;
  readonly #expected: ReadonlySet<number>;
  #timer: NodeJS.Timeout | null = null;

  constructor(settings: ActiveSettings, tls: CompiledPoolTls) {
    this.key = checkerKey(settings, tls);
    this.#settings = settings;
    this.#agent = new Agent({ connections: 4, keepAliveTimeout: 4_000, connect: tls.options });
    this.#expected = new Set(settings.expectedStatuses);
  }

  start(): void {
    this.#timer = setInterval(() => this.probeAll(), this.#settings.intervalMs);
    this.#timer.unref();
    this.probeAll();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    // A probe still out fails on the closed agent; its result is dropped as the timer is gone.
    void this.#agent.destroy();
  }

  probeAll(): void {
    for (const target of this.targets) {
      if (!target.probing && !target.disposed && target.state !== "disabled") void this.#probe(target);
    }
  }

  async #probe(target: TargetHealth): Promise<void> {
    const settings = this.#settings;
    target.probing = true;
    let passed = false;
    let reason: string;
    try {
      const url = new URL(target.url);
      const response = await this.#agent.request({
        origin: url.origin,
        path: url.pathname.replace(/\/+$/, "") + settings.path,
        method: "GET",
        headers: { "user-agent": "gatehouse-health-check" },
        headersTimeout: settings.timeoutMs,
        bodyTimeout: settings.timeoutMs,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      await response.body.dump();
      passed = this.#expected.has(response.statusCode);
      reason = `probe answered HTTP ${response.statusCode}`;
    } catch (error) {
      reason = `probe failed: ${describeError(error as Error)}`;
    } finally {
      target.probing = false;
    }
    if (this.#timer !== null) target.probed(passed, reason, settings);
  }
}

/** A short, stable description of a network error: its code when it has one. */
export function describeError(error: Error): string {
  const code = (error as { code?: string }).code;
  if (error.name === "TimeoutError") return "timed out";
  if (!code || error.message.includes(code)) return error.message || code || error.name;
  return error.message ? `${code}: ${error.message}` : code;
}
