/** One row of a line diff: a line kept, added or removed, or a run of kept lines folded away. */
export type DiffRow =
  | { kind: "same" | "add" | "remove"; text: string; before: number | null; after: number | null }
  | { kind: "skip"; count: number };

type Op = { kind: "same" | "add" | "remove"; text: string };

/**
 * Past this many cells the middle is shown as removed then added: an object of thousands of
 * changed lines is not read line by line, and the table would cost the browser a second.
 */
const MAX_TABLE_CELLS = 4_000_000;

const splitLines = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** The longest common subsequence of two line lists, as an edit script. */
function editScript(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_TABLE_CELLS) {
    return [...a.map((text) => ({ kind: "remove", text }) as Op), ...b.map((text) => ({ kind: "add", text }) as Op)];
  }
  const width = b.length + 1;
  // lengths[i * width + j]: the LCS of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: "same", text: a[i++] as string });
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      ops.push({ kind: "remove", text: a[i++] as string });
    } else {
      ops.push({ kind: "add", text: b[j++] as string });
    }
  }
  while (i < a.length) ops.push({ kind: "remove", text: a[i++] as string });
  while (j < b.length) ops.push({ kind: "add", text: b[j++] as string });
  return ops;
}

/** Numbers each line on its side(s): the first line is 1. */
function numbered(ops: Op[]) {
  let before = 0;
  let after = 0;
  return ops.map((op) => ({
    ...op,
    before: op.kind === "add" ? null : ++before,
    after: op.kind === "remove" ? null : ++after,
  }));
}

/**
 * The line diff of two texts, with `context` unchanged lines kept around each change and
 * longer unchanged runs folded into one "skip" row.
 */
export function lineDiff(before: string, after: string, context = 3): DiffRow[] {
  const rows = numbered(editScript(splitLines(before), splitLines(after)));
  const changed = rows.map((row) => row.kind !== "same");
  const near = (index: number) => {
    for (let k = Math.max(0, index - context); k <= Math.min(rows.length - 1, index + context); k++) {
      if (changed[k]) return true;
    }
    return false;
  };
  const out: DiffRow[] = [];
  for (const [index, row] of rows.entries()) {
    if (near(index)) {
      out.push(row);
      continue;
    }
    const last = out.at(-1);
    if (last?.kind === "skip") last.count++;
    else out.push({ kind: "skip", count: 1 });
  }
  return out;
}

/** How many lines a diff adds and removes, for a heading such as "+3 −1". */
export function diffStat(rows: DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const row of rows) {
    if (row.kind === "add") added++;
    if (row.kind === "remove") removed++;
  }
  return { added, removed };
}
