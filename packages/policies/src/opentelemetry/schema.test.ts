import { expect, test } from "vitest";
import { summarizePolicy } from "../summaries.ts";
import { exporterHeaders } from "./exporter-headers.ts";
import { opentelemetrySchema } from "./schema.ts";

const parse = (config: Record<string, unknown>) => opentelemetrySchema.config.safeParse(config);

test("only the endpoint is required; the rest has defaults", () => {
  expect(parse({ endpoint: "http://127.0.0.1:4318" }).data).toEqual({
    endpoint: "http://127.0.0.1:4318",
    samplingRatio: 1,
    serviceName: "gatehouse",
    resourceAttributes: {},
    headers: "",
    batchSize: 512,
    flushIntervalMs: 1000,
    maxQueueSpans: 2048,
    timeoutMs: 5000,
  });
});

test("bad values are refused on their field", () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ endpoint: "not a url" }, "endpoint"],
    [{ endpoint: "ftp://collector" }, "endpoint"],
    [{ endpoint: "http://c", samplingRatio: 1.5 }, "samplingRatio"],
    [{ endpoint: "http://c", samplingRatio: -0.1 }, "samplingRatio"],
    [{ endpoint: "http://c", headers: "no colon here" }, "headers"],
    [{ endpoint: "http://c", headers: "bad name: x" }, "headers"],
    [{ endpoint: "http://c", maxQueueSpans: 0 }, "maxQueueSpans"],
    [{ endpoint: "http://c", serviceName: " " }, "serviceName"],
    [{ endpoint: "http://c", colour: "blue" }, ""],
  ];
  for (const [config, field] of cases) {
    expect(parse(config).error?.issues[0]?.path.join("."), JSON.stringify(config)).toBe(field);
  }
});

test("exporter headers are read one per line, names lower-cased, and never shown", () => {
  const headers = "Authorization: Bearer abc:def\n\n  X-Tenant:acme  ";
  expect(parse({ endpoint: "http://c", headers }).success).toBe(true);
  expect(exporterHeaders(headers)).toEqual({ authorization: "Bearer abc:def", "x-tenant": "acme" });
  expect(opentelemetrySchema.config.shape.headers.meta()?.writeOnly).toBe(true);
  expect(
    summarizePolicy("opentelemetry", { endpoint: "https://user:pw@otel.example.com/base", samplingRatio: 0.1 }),
  ).toBe("traces 10% of new requests to otel.example.com");
});
