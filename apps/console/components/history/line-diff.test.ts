import { describe, expect, it } from "vitest";
import { type DiffRow, diffStat, lineDiff } from "./line-diff.ts";

const lines = (count: number, prefix = "line") => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

/** A diff as a unified-diff-like listing, so expectations read as the user sees them. */
const render = (rows: DiffRow[]) =>
  rows.map((row) =>
    row.kind === "skip" ? `… ${row.count}` : `${{ same: " ", add: "+", remove: "-" }[row.kind]}${row.text}`,
  );

describe("lineDiff", () => {
  it("shows one changed line between its unchanged neighbours", () => {
    expect(render(lineDiff("a\nb\nc\n", "a\nB\nc\n"))).toEqual([" a", "-b", "+B", " c"]);
  });

  it("shows a created object as all added and a deleted one as all removed", () => {
    expect(render(lineDiff("", "name: x\nenabled: true\n"))).toEqual(["+name: x", "+enabled: true"]);
    expect(render(lineDiff("name: x\n", ""))).toEqual(["-name: x"]);
  });

  it("folds unchanged runs beyond the context into one skip row", () => {
    const before = lines(20);
    const after = [...before];
    after[9] = "changed";
    expect(render(lineDiff(before.join("\n"), after.join("\n"), 2))).toEqual([
      "… 7",
      " line 8",
      " line 9",
      "-line 10",
      "+changed",
      " line 11",
      " line 12",
      "… 8",
    ]);
  });

  it("keeps two changes apart by less than twice the context in one hunk", () => {
    const before = lines(10);
    const after = before.map((line, i) => (i === 2 || i === 6 ? `${line}!` : line));
    const rows = lineDiff(before.join("\n"), after.join("\n"), 2);
    expect(rows.filter((row) => row.kind === "skip")).toEqual([{ kind: "skip", count: 1 }]);
    expect(rows.at(-1)).toEqual({ kind: "skip", count: 1 });
  });

  it("numbers lines on each side, none for the side a line is not on", () => {
    const rows = lineDiff("a\nb\n", "a\nx\nb\n");
    expect(rows).toEqual([
      { kind: "same", text: "a", before: 1, after: 1 },
      { kind: "add", text: "x", before: null, after: 2 },
      { kind: "same", text: "b", before: 2, after: 3 },
    ]);
  });

  it("matches moved-around lines by the longest common run, not line by line", () => {
    const before = "routes:\n  - paths:\n      - /a\n  - paths:\n      - /b\n";
    const after = "routes:\n  - paths:\n      - /b\n";
    expect(diffStat(lineDiff(before, after))).toEqual({ added: 0, removed: 2 });
  });

  it("answers an empty diff for equal texts, and for two empty ones", () => {
    expect(lineDiff("a\nb", "a\nb", 0)).toEqual([{ kind: "skip", count: 2 }]);
    expect(lineDiff("", "")).toEqual([]);
  });

  it("stays within bounds on texts too large to compare line by line", () => {
    const before = lines(3000, "old").join("\n");
    const after = lines(3000, "new").join("\n");
    const started = performance.now();
    const stat = diffStat(lineDiff(before, after));
    expect(stat).toEqual({ added: 3000, removed: 3000 });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
