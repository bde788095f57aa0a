import { installUserMessages } from "./schemas/messages.ts";

export * from "./analytics/consumer-ids.ts";
export * from "./analytics/histogram.ts";
export * from "./errors.ts";
export * from "./hop-by-hop.ts";
export * from "./http-token.ts";
export * from "./ids.ts";
export * from "./message-body.ts";
export * from "./schemas/analytics.ts";
export * from "./schemas/api.ts";
export * from "./schemas/audit.ts";
export * from "./schemas/auth.ts";
export * from "./schemas/certificate.ts";
export * from "./schemas/common.ts";
export * from "./schemas/config-file.ts";
export * from "./schemas/consumer.ts";
export * from "./schemas/field-rules.ts";
export * from "./schemas/gateway-call.ts";
export * from "./schemas/health-check.ts";
export * from "./schemas/messages.ts";
export * from "./schemas/node.ts";
export * from "./schemas/openapi-attach.ts";
export * from "./schemas/policy.ts";
export * from "./schemas/route.ts";
export * from "./schemas/session.ts";
export * from "./schemas/upstream.ts";
export * from "./schemas/upstream-tls.ts";
export * from "./sse.ts";

// Every parse that can reach a user goes through this package: its messages are set here, once.
installUserMessages();
