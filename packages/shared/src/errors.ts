import { z } from "zod";

/** The one list of error codes a client of the gateway or the Admin API can see. */
export const ERROR_CODES = {
  validation_failed: 400,
  bad_request: 400,
  request_invalid: 400,
  unauthorized: 401,
  key_missing: 401,
  key_invalid: 401,
  key_expired: 401,
  key_revoked: 401,
  token_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  node_token_invalid: 401,
  forbidden: 403,
  https_required: 403,
  key_not_allowed: 403,
  csrf_rejected: 403,
  not_found: 404,
  no_route: 404,
  request_timeout: 408,
  conflict: 409,
  revision_mismatch: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  quota_exceeded: 429,
  headers_too_large: 431,
  internal_error: 500,
  upstream_unavailable: 502,
  api_disabled: 503,
  no_healthy_upstream: 503,
  gateway_unavailable: 503,
  config_store_busy: 503,
  upstream_timeout: 504,
  http_version_not_supported: 505,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const fieldErrorSchema = z.object({
  path: z.string().meta({ description: "The field, dot-separated from the body's top (config.limits.minute)" }),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The one error envelope: the gateway, the Admin API, its OpenAPI document and the console all read it from here. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string().optional(),
    fields: z.array(fieldErrorSchema).optional().meta({ description: "One entry per bad field" }),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Thrown by services; transports turn it into the error envelope with its status. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[] | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldError[]) {
    super(message);
    this.name = "GatehouseError";
    this.code = code;
    this.status = ERROR_CODES[code];
    this.fields = fields;
  }
}

export const notFound = (what: string, id: string) => new GatehouseError("not_found", `${what} ${id} does not exist`);

export const conflict = (message: string, fields?: FieldError[]) => new GatehouseError("conflict", message, fields);

export function errorBody(code: ErrorCode, message: string, requestId?: string, fields?: FieldError[]): ErrorBody {
  return { error: { code, message, ...(requestId ? { requestId } : {}), ...(fields ? { fields } : {}) } };
}
