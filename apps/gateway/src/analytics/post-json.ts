import http from "node:http";
import https from "node:https";

/** The status of the answer, or why there was none (refused, reset before an answer, timed out). */
export type PostOutcome = { status: number } | { error: string };

/**
 * One POST of a JSON body. node:http rather than fetch: this runs on the analytics writer's
 * thread, where loading fetch (undici) costs about 11 MB of RSS and node:http about 2 MB.
 */
export function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { agent: http.Agent; timeoutMs: number },
): Promise<PostOutcome> {
  return new Promise((settle) => {
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent: options.agent,
      timeout: options.timeoutMs,
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    request.on("response", (response) => {
      // Read to the end, so the connection can carry the next batch.
      response.resume();
      response.on("end", () => settle({ status: response.statusCode ?? 0 }));
      response.on("error", (error) => settle({ error: error.message }));
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on("error", (error) => settle({ error: error.message }));
    request.end(body);
  });
}
