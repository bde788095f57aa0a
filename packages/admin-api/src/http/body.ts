import { GatehouseError } from "@gatehouse/shared";
import type { Context } from "hono";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body: 415 unless JSON, 413 past the limit (checked while streaming), 400 if it does not parse. */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new GatehouseError("unsupported_media_type", "Send the body as application/json");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const body = c.req.raw.body;
  if (!body) throw new GatehouseError("bad_request", "The request body is empty");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new GatehouseError("bad_request", "The request body is empty");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatehouseError("bad_request", `The request body is not valid JSON${whereJsonBreaks(error)}`);
  }
}

/** Only the place from JSON.parse's message: its wording is the engine's, not ours. */
function whereJsonBreaks(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const at = /line (\d+) column (\d+)/.exec(message);
  if (at) return ` (at line ${at[1]}, column ${at[2]})`;
  return /end of JSON input/.test(message) ? " (it ends too early)" : "";
}

const tooLarge = (max: number) =>
  new GatehouseError("payload_too_large", `The request body is larger than ${Math.round(max / 1024)} KiB`);
