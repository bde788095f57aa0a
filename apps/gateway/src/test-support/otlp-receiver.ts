import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { closeServer, listenLocal } from "./servers.ts";

/** A span as the OTLP/JSON export carries it, with its resource's attributes. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, string | number>;
  status: { code?: number };
  resource: Record<string, string | number>;
}

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string };
}

const flat = (attributes: KeyValue[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, value.stringValue ?? Number(value.intValue)]));

/**
 * A test OTLP/HTTP collector on 127.0.0.1: parses each JSON export to /v1/traces. A hanging
 * one reads the export and never answers.
 */
export async function startOtlpReceiver(hang = false) {
  const spans: ReceivedSpan[] = [];
  const exports: { contentType: string | undefined; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      exports.push({ contentType: req.headers["content-type"], headers: req.headers });
      if (hang) return;
      if (req.method !== "POST" || req.url !== "/v1/traces") return void res.writeHead(404).end();
      const body = JSON.parse(`${Buffer.concat(chunks)}`);
      for (const resourceSpans of body.resourceSpans) {
        const resource = flat(resourceSpans.resource.attributes);
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) spans.push({ ...span, attributes: flat(span.attributes), resource });
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const url = await listenLocal(server);
  return {
    url,
    spans,
    exports,
    close: () => {
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}
