import type { FieldError } from "@gatehouse/shared";
import type { ValidateFunction } from "ajv/dist/2020.js";
import type { z } from "zod";
import {
  headerValue,
  type PolicyContext,
  type PolicyDefinition,
  type Rejection,
  reject,
  type Verdict,
} from "../types.ts";
import { compileSchema, type RequestPart } from "./compile-schema.ts";
import { failuresOf } from "./failures.ts";
import { queryObject, textObject } from "./request-parts.ts";
import { requestValidationSchema } from "./schema.ts";

type RequestValidationConfig = z.output<typeof requestValidationSchema.config>;

/** A refusal lists at most this many failures, however many a large body has. */
const MAX_FAILURES = 20;

function refusal(failures: FieldError[]): Rejection {
  const first = failures[0] as FieldError;
  return {
    kind: "reject",
    code: "request_invalid",
    message: `The request is invalid: ${first.path} ${first.message}`,
    fields: failures.slice(0, MAX_FAILURES),
  };
}

function check(part: RequestPart, validate: ValidateFunction | null, data: () => unknown): FieldError[] {
  if (validate === null) return [];
  const value = data();
  return validate(value) ? [] : failuresOf(part, validate.errors ?? [], value);
}

async function checkBody(ctx: PolicyContext, validate: ValidateFunction, maxBodyBytes: number): Promise<Verdict> {
  let raw: Buffer | null;
  try {
    raw = await ctx.readBody(maxBodyBytes);
  } catch {
    return reject("bad_request", "The request body could not be read");
  }
  if (raw === null) return reject("payload_too_large", `The request body exceeds ${maxBodyBytes} bytes`);
  if (raw.length === 0) return validate(undefined) ? undefined : refusal([{ path: "body", message: "is required" }]);
  let data: unknown;
  try {
    data = JSON.parse(raw.toString("utf8"));
  } catch {
    return refusal([{ path: "body", message: "is not JSON" }]);
  }
  return validate(data) ? undefined : refusal(failuresOf("body", validate.errors ?? [], data));
}

export const requestValidation: PolicyDefinition<typeof requestValidationSchema.config> = {
  ...requestValidationSchema,
  create(config: RequestValidationConfig) {
    const compiled = (part: RequestPart) => {
      const schema = config[part];
      return schema === undefined || schema === null ? null : compileSchema(part, schema);
    };
    const params = compiled("params");
    const query = compiled("query");
    const headers = compiled("headers");
    const body = compiled("body");
    const { maxBodyBytes } = config;
    return {
      handle(ctx) {
        // The cheap parts first: a request they refuse never has its body read.
        const failures = [
          ...check("params", params, () => textObject(ctx.params)),
          ...check("query", query, () => queryObject(ctx.query)),
          ...check("headers", headers, () => textObject(ctx.headers)),
        ];
        if (failures.length > 0) return refusal(failures);
        if (body === null) return undefined;
        const declared = Number(headerValue(ctx, "content-length"));
        if (declared > maxBodyBytes) {
          return reject("payload_too_large", `The request body of ${declared} bytes exceeds ${maxBodyBytes} bytes`);
        }
        return checkBody(ctx, body, maxBodyBytes);
      },
    };
  },
};
