import type { PolicyContext, ResponseHook, UpstreamResponse } from "../types.ts";
import { ageSeconds, freshness } from "./cache-control.ts";
import { varyNames, varyValues } from "./cache-key.ts";
import { type CachedAnswer, keptHeaders } from "./cached-answer.ts";

export interface FillOptions {
  statuses: ReadonlySet<number>;
  defaultTtlMs: number;
  maxBodyBytes: number;
  /** The revision of the handler: a purge recorded later removes what it keeps. */
  revision: number;
}

type Head = Omit<CachedAnswer, "body">;

/** The answer's head as it would be kept, or null when it may not be. */
export function keepableHead(
  ctx: PolicyContext,
  response: UpstreamResponse,
  options: FillOptions,
  now: number,
): Head | null {
  const { headers } = response;
  if (!options.statuses.has(response.status)) return null;
  // A cookie is one client's: handing it to another would log them in as the first.
  if (headers["set-cookie"] !== undefined) return null;
  const vary = varyNames(headers.vary);
  if (vary.includes("*")) return null;
  if (Number(headers["content-length"]) > options.maxBodyBytes) return null;
  const fresh = freshness(headers, options.defaultTtlMs, now);
  if (!fresh.keep) return null;
  return {
    status: response.status,
    headers: keptHeaders(headers),
    storedAt: now,
    expiresAt: now + fresh.lifetimeMs,
    initialAge: ageSeconds(headers),
    revision: options.revision,
    apiId: ctx.apiId,
    path: ctx.path,
    vary: varyValues(ctx, vary),
  };
}

/**
 * The hook that copies a GET's answer as it goes to the client: `onHeaders` decides whether it
 * may be kept, `onData` collects up to the body limit, `onEnd(true)` keeps it. `settled` is
 * called once the outcome is known (kept, or not keepable, or failed), so requests waiting on
 * this one stop waiting.
 */
export function fillHook(
  ctx: PolicyContext,
  options: FillOptions,
  keep: (answer: CachedAnswer) => void | Promise<void>,
  settled: () => void,
): ResponseHook {
  let head: Head | null = null;
  let chunks: Buffer[] = [];
  let bytes = 0;
  return {
    onHeaders(response) {
      head = keepableHead(ctx, response, options, Date.now());
      chunks = [];
      bytes = 0;
      if (head === null) settled();
    },
    onData(chunk) {
      if (head === null) return;
      bytes += chunk.length;
      if (bytes > options.maxBodyBytes) {
        head = null;
        chunks = [];
        settled();
        return;
      }
      chunks.push(chunk);
    },
    onEnd(complete) {
      const kept = head;
      head = null;
      if (!complete || kept === null) {
        settled();
        return;
      }
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      chunks = [];
      const saving = keep({ ...kept, body });
      if (saving instanceof Promise) saving.then(settled);
      else settled();
    },
  };
}
