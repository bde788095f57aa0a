import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { GatehouseError, type GatewayAnswer, gatewayCallSchema } from "@gatehouse/shared";
import { parseInput } from "../context.ts";

/** Enough of an answer to read an error envelope or an echo; the rest is cut. */
const MAX_BODY_BYTES = 4096;
const TIMEOUT_MS = 10_000;

/**
 * Sends one request through the gateway's proxy port and reads its answer: the browser cannot,
 * since the gateway's own refusals carry no CORS headers. Node's http client, not fetch, because
 * fetch drops a Host header, and a route may match on the host.
 */
export async function callGateway(proxyUrl: string | undefined, input: unknown): Promise<GatewayAnswer> {
  const call = parseInput(gatewayCallSchema, input);
  if (proxyUrl === undefined) throw new GatehouseError("gateway_unavailable", "No gateway URL configured");
  const base = new URL(proxyUrl);
  // The path is appended, never resolved: the call cannot leave the gateway.
  const url = new URL(`${base.origin}${call.path}`);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = send(url, { method: call.method, headers: call.headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on("data", (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) {
          truncated = true;
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      const finish = () => {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body: body.subarray(0, MAX_BODY_BYTES).toString("utf8"),
          truncated: truncated || body.length > MAX_BODY_BYTES,
          durationMs: Math.round(performance.now() - started),
        });
      };
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", () => finish());
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on("error", (error) =>
      reject(new GatehouseError("gateway_unavailable", `Gateway unreachable: ${error.message}`)),
    );
    req.end();
  });
}
