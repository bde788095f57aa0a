import { parseArgs } from "node:util";

export interface LoadOptions {
  seconds: number;
  repetitions: number;
  warmup: number;
  connections: number;
}

/** The knobs every interleaved CPU bench takes (`--seconds`, `--repetitions`, `--warmup`, `--connections`), with its own defaults. */
export function loadOptions(defaults: LoadOptions): LoadOptions {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: String(defaults.seconds) },
      repetitions: { type: "string", default: String(defaults.repetitions) },
      warmup: { type: "string", default: String(defaults.warmup) },
      connections: { type: "string", default: String(defaults.connections) },
    },
  });
  return {
    seconds: Number(values.seconds),
    repetitions: Number(values.repetitions),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
  };
}

export const say = (line: string) => console.error(`bench: ${line}`);
