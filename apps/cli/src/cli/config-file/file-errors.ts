import { AdminApiError } from "../admin-client.ts";
import { CliError } from "../args.ts";
import { formatProblem, parseSource, placeFields, readSourceFile, type SourceFile } from "./source-file.ts";

/** A file read and parsed before it is sent: a YAML syntax error is told with its line, without a round trip. */
export async function readParsedFile(name: string): Promise<SourceFile> {
  const text = await readSourceFile(name);
  const { source, problems } = parseSource(name, text);
  if (problems.length > 0) {
    throw new CliError([`${name} does not parse:`, ...problems.map((p) => `  ${formatProblem(name, p)}`)].join("\n"));
  }
  return source;
}

/**
 * The Admin API's 400 with field errors, each placed on its line of the file it was sent; the
 * fields are dot paths from the body's top, so `prefix` (the body field holding the file) is dropped.
 */
export async function withFileErrors<T>(source: SourceFile, prefix: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AdminApiError) || error.fields.length === 0) throw error;
    const lines = placeFields(source, error.fields, prefix).map(
      (problem) => `  ${formatProblem(source.name, problem)}`,
    );
    throw new CliError([`${source.name}: ${error.message}`, ...lines].join("\n"));
  }
}
