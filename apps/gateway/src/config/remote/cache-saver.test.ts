import { expect, test, vi } from "vitest";
import { CacheSaver } from "./cache-saver.ts";

/** A write that finishes when the test says so. */
function writes() {
  const done: Array<() => void> = [];
  return {
    started: () => done.length,
    write: () => new Promise<void>((resolve) => done.push(resolve)),
    finish: () => done.at(-1)?.(),
  };
}

test("a burst of revisions is one write; revisions during a write are one more after it, not one each", async () => {
  const calls = writes();
  const saver = new CacheSaver(calls.write, () => {});
  for (let i = 0; i < 100; i++) saver.changed();
  expect(calls.started()).toBe(0);
  const first = saver.flush();
  await vi.waitFor(() => expect(calls.started()).toBe(1));
  // While it writes, more revisions go live: they wait for it, and then share one write.
  for (let i = 0; i < 100; i++) saver.changed();
  calls.finish();
  await first;
  expect(calls.started()).toBe(1);
  const second = saver.flush();
  await vi.waitFor(() => expect(calls.started()).toBe(2));
  calls.finish();
  await second;
  await saver.flush();
  expect(calls.started()).toBe(2);
});

test("a write that fails is logged once and tried again without waiting for another revision", async () => {
  const lines: string[] = [];
  let fail = true;
  let written = 0;
  const saver = new CacheSaver(
    async () => {
      if (fail) throw new Error("disk full");
      written++;
    },
    (line) => lines.push(line),
  );
  saver.changed();
  await saver.flush();
  saver.changed();
  await saver.flush();
  expect(lines).toEqual(["config: cannot write the cache (disk full); retrying every 5 s"]);
  fail = false;
  // No revision since: the failed write is still due, and a stop writes it.
  await saver.flush();
  expect(written).toBe(1);
  expect(lines.at(-1)).toBe("config: the cache is written again");
});
