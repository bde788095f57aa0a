import { expect, test } from "vitest";
import { sseEvents } from "./sse.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

test("events split across chunks, named events, multi-line data; comments and retry lines are no events", async () => {
  const events = [];
  for await (const event of sseEvents(
    streamOf(
      'retry: 2000\n\n: a comment\n\ndata: {"a"',
      ":1}\n\nevent: unavailable\ndata: line one\ndata:line two\n\n",
      "data: tail",
    ),
  )) {
    events.push(event);
  }
  expect(events).toEqual([
    { event: "message", data: '{"a":1}' },
    { event: "unavailable", data: "line one\nline two" },
  ]);
});

test("an event's blank line split between two chunks, and a long event in many small chunks", async () => {
  const long = "x".repeat(100_000);
  const pieces = `data: ${long}\n\n`.match(/[\s\S]{1,1000}/g) as string[];
  const events = [];
  for await (const event of sseEvents(streamOf("data: one\n", "\ndata: two\n\n", ...pieces))) events.push(event);
  expect(events.map((event) => event.data)).toEqual(["one", "two", long]);
});
