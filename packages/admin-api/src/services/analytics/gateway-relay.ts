import {
  GatehouseError,
  type LiveMessage,
  sseEvents,
  streamQuerySchema,
  type TimeseriesPoint,
} from "@gatehouse/shared";
import { parseInput } from "../context.ts";
import { type TrafficFilter, TrafficSum } from "./traffic-query.ts";

/** Where the gateway's status port is and the token its traffic endpoints want. */
export interface GatewayStatusAccess {
  url: string | undefined;
  token: () => string;
}

export function gatewayUrl(access: GatewayStatusAccess, path: string): URL {
  if (access.url === undefined) throw new GatehouseError("gateway_unavailable", "No gateway status URL configured");
  return new URL(path, access.url);
}

/** Reconnect delay an EventSource is told to use when the gateway goes away. */
const RETRY_MS = 2000;

/**
 * The gateway's live stream, reduced to one point per second for the filter asked: the browser
 * never talks to the gateway. Seconds without traffic come out as zeros, so a chart moves on.
 */
export function liveStream(access: GatewayStatusAccess, input: unknown, signal: AbortSignal): Response {
  const filter = parseInput(streamQuerySchema, input);
  const url = gatewayUrl(access, "/stream");
  const encoder = new TextEncoder();
  const upstream = new AbortController();
  signal.addEventListener("abort", () => upstream.abort(), { once: true });
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send(`retry: ${RETRY_MS}\n\n`);
      try {
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${access.token()}`, accept: "text/event-stream" },
          signal: upstream.signal,
        });
        if (!response.ok || response.body === null) throw new Error(`the gateway answered ${response.status}`);
        let next: number | null = null;
        for await (const { data } of sseEvents(response.body)) {
          const message = JSON.parse(data) as LiveMessage;
          const points = pointsOf(message, filter);
          next ??= Math.min(message.upTo - 1, ...points.keys());
          for (; next < message.upTo; next++) {
            send(`data: ${JSON.stringify(points.get(next) ?? new TrafficSum().point(next))}\n\n`);
          }
        }
        send(`event: unavailable\ndata: ${JSON.stringify({ message: "The gateway closed the stream" })}\n\n`);
      } catch (error) {
        if (!upstream.signal.aborted) {
          send(
            `event: unavailable\ndata: ${JSON.stringify({ message: `Gateway unreachable: ${(error as Error).message}` })}\n\n`,
          );
        }
      }
      controller.close();
    },
    cancel() {
      upstream.abort();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}

/** One point per second of the message, summed over the cells the filter keeps. */
function pointsOf(message: LiveMessage, filter: TrafficFilter): Map<number, TimeseriesPoint> {
  const out = new Map<number, TimeseriesPoint>();
  for (const second of message.seconds) {
    const sum = new TrafficSum();
    for (const [apiId, routeId, consumerId, statusClass, requests, bytesIn, bytesOut, , histogram] of second.cells) {
      if (filter.apiId !== undefined && apiId !== filter.apiId) continue;
      if (filter.routeId !== undefined && routeId !== filter.routeId) continue;
      if (filter.consumerId !== undefined && consumerId !== filter.consumerId) continue;
      sum.add({ key: second.t, statusClass, requests, bytesIn, bytesOut, histogram });
    }
    out.set(second.t, sum.point(second.t));
  }
  return out;
}
