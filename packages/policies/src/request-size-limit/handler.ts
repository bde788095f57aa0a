import type { z } from "zod";
import { headerValue, type PolicyDefinition, reject } from "../types.ts";
import { requestSizeLimitSchema } from "./schema.ts";

type RequestSizeLimitConfig = z.output<typeof requestSizeLimitSchema.config>;

export const requestSizeLimit: PolicyDefinition<typeof requestSizeLimitSchema.config> = {
  ...requestSizeLimitSchema,
  create(config: RequestSizeLimitConfig) {
    const { maxBytes } = config;
    return {
      handle(ctx) {
        const length = Number(headerValue(ctx, "content-length"));
        if (length > maxBytes) {
          return reject("payload_too_large", `The request body of ${length} bytes exceeds ${maxBytes} bytes`);
        }
        // The gateway counts chunked bodies against this as they stream; 0 there means no limit.
        if (ctx.maxBodyBytes === 0 || ctx.maxBodyBytes > maxBytes) ctx.maxBodyBytes = maxBytes;
        return undefined;
      },
    };
  },
};
