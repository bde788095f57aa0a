import { readFile } from "node:fs/promises";
import type { FieldError } from "@gatehouse/shared";
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { CliError } from "../args.ts";

/** A YAML or JSON file as written, kept with its node positions so a field path can name its line. */
export interface SourceFile {
  name: string;
  text: string;
  document: Document;
  lines: LineCounter;
}

/** One thing wrong with a file: where (a field path, a line) and what. */
export interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

type Segment = string | number;

export async function readSourceFile(name: string): Promise<string> {
  try {
    return await readFile(name, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** YAML 1.2 reads JSON too, so one parser serves both; syntax errors come back with their line. */
export function parseSource(name: string, text: string): { source: SourceFile; value: unknown; problems: Problem[] } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const source = { name, text, document, lines };
  const problems: Problem[] = document.errors.map((error) => ({
    path: "",
    // The parser's message repeats the position and quotes the lines; the position is printed once, apart.
    message: error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.code,
    line: error.linePos?.[0].line,
    column: error.linePos?.[0].col,
  }));
  if (problems.length > 0) return { source, value: undefined, problems };
  try {
    return { source, value: document.toJS({ maxAliasCount: 1000 }), problems };
  } catch (error) {
    return { source, value: undefined, problems: [{ path: "", message: (error as Error).message }] };
  }
}

/** `apis.3.routes.0.paths.0` (the error envelope's form) as segments; digits are list positions. */
export function segmentsOf(path: string): Segment[] {
  return path === "" ? [] : path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `apis[3].routes[0].paths[0]`: the path as a reader of the file would write it. */
export function displayPath(segments: readonly Segment[]): string {
  return segments
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_][\w-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join("");
}

/**
 * The line and column of the deepest node of `segments` the file has: a field the file leaves
 * out is placed at the object that should hold it; a map entry is placed at its key.
 */
export function locate(source: SourceFile, segments: readonly Segment[]): { line: number; column: number } | null {
  let node: unknown = source.document.contents;
  let offset = (node as { range?: [number] } | null)?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment),
      );
      if (!pair) break;
      offset = (pair.key as { range?: [number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else break;
  }
  if (offset === undefined) return null;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

/** Field errors (dot paths, from this CLI's checks or the Admin API's answer) placed in the file. */
export function placeFields(source: SourceFile, fields: readonly FieldError[], prefix = ""): Problem[] {
  return fields.map(({ path, message }) => {
    const inFile = `${path}.` === prefix ? "" : prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    const segments = segmentsOf(inFile);
    return { path: displayPath(segments), message, ...locate(source, segments) };
  });
}

/** `apis[2].routes[0].paths[0] (line 14, column 9): message`. */
export function formatProblem(fileName: string, problem: Problem): string {
  const where = problem.line === undefined ? "" : ` (line ${problem.line}, column ${problem.column})`;
  return `${problem.path || fileName}${where}: ${problem.message}`;
}
