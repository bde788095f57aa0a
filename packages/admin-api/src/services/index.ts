export { createApi } from "./apis/create-api.ts";
export { listApis } from "./apis/list-apis.ts";
export { deleteApi, updateApi } from "./apis/update-api.ts";
export { purgeCache } from "./cache/purge-cache.ts";
export {
  createConsumer,
  deleteConsumer,
  getConsumer,
  listConsumers,
  updateConsumer,
} from "./consumers/consumer-verbs.ts";
export type { ServiceContext } from "./context.ts";
export { KeyUsageReader } from "./keys/key-usage.ts";
export { getKey, issueKey, listKeys, revokeKey, rotateKey } from "./keys/key-verbs.ts";
export { attachOpenApi } from "./openapi/attach-openapi.ts";
export { importOpenApi } from "./openapi/import-openapi.ts";
export { createPlan, deletePlan, getPlan, listPlans, updatePlan } from "./plans/plan-verbs.ts";
export { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "./policies/policy-verbs.ts";
export { apiDetails, getApi, getUpstream } from "./read-models.ts";
export { createRoute, deleteRoute, getRoute, listRoutes, updateRoute } from "./routes/route-verbs.ts";
export { addTarget, listTargets, removeTarget, updateTarget } from "./targets/target-verbs.ts";
export { createUpstream } from "./upstreams/create-upstream.ts";
export { listUpstreams } from "./upstreams/list-upstreams.ts";
export { deleteUpstream, updateUpstream } from "./upstreams/update-upstream.ts";
export { upstreamHealth } from "./upstreams/upstream-health.ts";
