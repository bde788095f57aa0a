import type { z } from "zod";
import { compileHeaderRules } from "../transform/header-rules.ts";
import { compileJsonRules } from "../transform/json-rules.ts";
import { TemplateScope } from "../transform/template.ts";
import type { PolicyDefinition } from "../types.ts";
import { AnswerRewrite, type AnswerRules } from "./answer-rewrite.ts";
import { responseTransformerSchema } from "./schema.ts";

type ResponseTransformerConfig = z.output<typeof responseTransformerSchema.config>;

export const responseTransformer: PolicyDefinition<typeof responseTransformerSchema.config> = {
  ...responseTransformerSchema,
  create(config: ResponseTransformerConfig) {
    const headers = compileHeaderRules(config.headers);
    const body = compileJsonRules(config.body);
    const maxBytes = config.maxBodyBytes;
    const rules: AnswerRules | null = headers === null && body === null ? null : { headers, body, maxBytes };
    // A HEAD answer has no body to rewrite.
    const headRules: AnswerRules | null = headers === null ? null : { headers, body: null, maxBytes };
    return {
      handle(ctx) {
        const chosen = ctx.method === "HEAD" ? headRules : rules;
        if (chosen !== null) ctx.responseHooks.push(new AnswerRewrite(chosen, ctx, new TemplateScope(ctx)));
        return undefined;
      },
    };
  },
};
