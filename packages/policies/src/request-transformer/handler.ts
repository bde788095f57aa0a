import type { z } from "zod";
import { applyRequestHeaders, compileHeaderRules } from "../transform/header-rules.ts";
import { compileJsonRules } from "../transform/json-rules.ts";
import { applyQueryRules, compileQueryRules } from "../transform/query-rules.ts";
import { parseTemplate, render, type Template, TemplateScope } from "../transform/template.ts";
import type { PolicyDefinition } from "../types.ts";
import { type BodyRewrite, rewriteJsonBody } from "./json-body.ts";
import { NOT_IN_PATH, requestTransformerSchema } from "./schema.ts";

type RequestTransformerConfig = z.output<typeof requestTransformerSchema.config>;

/** A value put into the path is escaped where it would end the path (? #) or is no URL character. */
const ALL_NOT_IN_PATH = new RegExp(NOT_IN_PATH.source, "gu");
const pathSafe = (value: string) => value.replace(ALL_NOT_IN_PATH, encodeURIComponent);

export const requestTransformer: PolicyDefinition<typeof requestTransformerSchema.config> = {
  ...requestTransformerSchema,
  create(config: RequestTransformerConfig) {
    const headers = compileHeaderRules(config.headers);
    const query = compileQueryRules(config.query);
    const pattern = config.pathPattern === "" ? null : new RegExp(config.pathPattern);
    const path = config.path === "" ? null : (parseTemplate(config.path) as Template);
    const host = config.host === "" ? null : config.host;
    const rules = compileJsonRules(config.body);
    const body: BodyRewrite | null =
      rules === null ? null : { rules, maxBytes: config.maxBodyBytes, refuse: config.onLargeBody === "refuse" };
    return {
      handle(ctx) {
        const captures = pattern === null ? null : pattern.exec(ctx.path);
        const scope = new TemplateScope(ctx, captures);
        if (headers !== null) applyRequestHeaders(headers, ctx, scope);
        if (query !== null) ctx.upstream.query = applyQueryRules(query, ctx.upstream.query, scope);
        // A pattern that does not match says this request's path is not one to rewrite.
        if (path !== null && (pattern === null || captures !== null)) ctx.upstream.path = render(path, scope, pathSafe);
        if (host !== null) ctx.upstream.host = host;
        return body === null ? undefined : rewriteJsonBody(body, ctx, scope);
      },
    };
  },
};
