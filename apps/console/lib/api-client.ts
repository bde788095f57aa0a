import { type ErrorCode, errorBodySchema, type FieldError } from "@gatehouse/shared";

const BASE = "/api/v1";

/** The address of an Admin API path, for what the browser opens itself (EventSource, download links). */
export const apiUrl = (path: string) => `${BASE}${path}`;

/** Any non-2xx answer of the Admin API, carrying the error envelope's fields. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "network_error";
  readonly fields: FieldError[];
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly path: string;

  constructor(init: {
    status: number;
    code: ApiError["code"];
    message: string;
    path: string;
    fields?: FieldError[];
    requestId?: string;
    retryAfter?: number;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.path = init.path;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }
}

export interface ApiResult<T> {
  data: T;
  /** The config revision after a write (`Gatehouse-Revision`), if the server sent one. */
  revision: number | null;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A write made against a revision the caller has seen: the server refuses it (412) once the config moved on. */
export interface WriteOptions {
  ifMatch?: number;
}

async function request<T>(method: Method, path: string, body?: unknown, options?: WriteOptions): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(options?.ifMatch === undefined ? {} : { "if-match": `"${options.ifMatch}"` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", message: "Could not reach the console server", path });
  }

  const revisionHeader = response.headers.get("gatehouse-revision");
  const revision = revisionHeader === null ? null : Number(revisionHeader);
  const text = await response.text();
  const json: unknown = text ? safeParse(text) : undefined;

  if (!response.ok) throw toApiError(response, path, json);
  return { data: json as T, revision: Number.isFinite(revision) ? revision : null };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, path: string, json: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(json);
  const envelope = parsed.success ? parsed.data.error : undefined;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new ApiError({
    status: response.status,
    code: envelope?.code ?? (response.status >= 500 ? "internal_error" : "bad_request"),
    message: envelope?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
    path,
    fields: envelope?.fields ?? [],
    requestId: envelope?.requestId,
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

export const http = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown, options?: WriteOptions) => request<T>("POST", path, body ?? {}, options),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** True when a write made against a revision was refused because the config has moved on since (412). */
export function isRevisionMismatch(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

const SIGN_IN_PATHS = new Set(["/auth/login", "/auth/setup", "/auth/status"]);

/** True when an error means the session is gone (and the request was not itself a sign-in). */
export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !SIGN_IN_PATHS.has(error.path);
}
