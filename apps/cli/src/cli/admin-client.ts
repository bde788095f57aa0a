import { errorBodySchema, type FieldError } from "@gatehouse/shared";
import { z } from "zod";
import { CliError } from "./args.ts";

export const DEFAULT_CONSOLE_URL = "http://localhost:3000";

// A newer console may answer an error code this CLI does not list yet; its message still reads.
const envelopeSchema = z.object({ error: errorBodySchema.shape.error.extend({ code: z.string() }) });

/** An Admin API error answer other than a refused token: the caller decides what a 400 or a 412 means. */
export class AdminApiError extends CliError {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];

  constructor(status: number, message: string, code: string, fields: FieldError[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

interface Call {
  body?: unknown;
  headers?: Record<string, string>;
}

/** The console's Admin API, from --url/--token or their environment variables. */
export class AdminClient {
  readonly url: string;
  readonly #token: string | undefined;

  constructor(options: { url?: string | undefined; token?: string | undefined }, env = process.env) {
    this.url = (options.url ?? env.GATEHOUSE_CONSOLE_URL ?? DEFAULT_CONSOLE_URL).replace(/\/+$/, "");
    this.#token = options.token ?? env.GATEHOUSE_ADMIN_TOKEN;
  }

  async request(method: string, path: string, call: Call = {}): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1${path}`, {
        method,
        headers: {
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
          ...(call.body === undefined ? {} : { "content-type": "application/json" }),
          ...call.headers,
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(
        `Cannot reach the console at ${this.url} (${why}); is it running (npm start)? Set --url or GATEHOUSE_CONSOLE_URL`,
      );
    }
    const text = await response.text();
    if (response.ok) return { status: response.status, headers: response.headers, text };
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        this.#token
          ? `The console at ${this.url} refused the admin token (${response.status}); check GATEHOUSE_ADMIN_TOKEN or --token`
          : `The console at ${this.url} needs an admin token: set GATEHOUSE_ADMIN_TOKEN or pass --token`,
      );
    }
    throw this.#error(response.status, text);
  }

  /** A JSON answer read with the shared schema of what the operation answers. */
  async json<T extends z.ZodType>(schema: T, method: string, path: string, call: Call = {}) {
    const answer = await this.request(method, path, call);
    const parsed = schema.safeParse(parseJson(answer.text));
    if (!parsed.success) throw this.#notAdminApi(answer.status);
    return { ...answer, data: parsed.data as z.output<T> };
  }

  #error(status: number, text: string): CliError {
    const envelope = envelopeSchema.safeParse(parseJson(text));
    if (!envelope.success) return this.#notAdminApi(status);
    const { code, message, fields } = envelope.data.error;
    return new AdminApiError(status, message, code, fields ?? []);
  }

  #notAdminApi(status: number): CliError {
    return new CliError(`${this.url} answered ${status} with something other than the Admin API's answer; check --url`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
