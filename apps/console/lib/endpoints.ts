import type { PolicyType } from "@gatehouse/policies/schemas";
import type {
  Admin,
  ApiCreate,
  ApiDetail,
  ApiKey,
  ApiKeyCreate,
  ApiKeyIssued,
  ApiListQuery,
  ApiPatch,
  AuthStatus,
  apiKeyRotatedSchema,
  CachePurge,
  Certificate,
  CertificateCreate,
  Codes,
  CodesQuery,
  ConfigApplyRequest,
  ConfigPlan,
  Consumer,
  ConsumerCreate,
  GatewayAnswer,
  GatewayCall,
  GatewayStatus,
  ListQuery,
  LoginInput,
  NodeToken,
  NodeTokenCreate,
  NodeTokenIssued,
  nodeListSchema,
  OpenApiAttach,
  OpenApiAttachResult,
  OpenApiImport,
  Page,
  Plan,
  PlanCreate,
  Policy,
  PolicyCreate,
  Pools,
  PoolsQuery,
  policyListQuerySchema,
  policyPatchSchema,
  RequestLog,
  RequestLogQuery,
  RevisionDetail,
  Route,
  RouteInput,
  revisionListQuerySchema,
  revisionListSchema,
  Session,
  SetupInput,
  StreamQuery,
  Target,
  TargetInput,
  Timeseries,
  TimeseriesQuery,
  Top,
  TopQuery,
  Upstream,
  UpstreamCreate,
  UpstreamHealth,
  UpstreamPatch,
  Usage,
  UsageQuery,
} from "@gatehouse/shared";
import type { z } from "zod";
import { apiUrl, http, query, type WriteOptions } from "./api-client.ts";

export type { Page, PolicyType };

export type PolicyFilter = z.input<typeof policyListQuerySchema>;
export type PolicyPatch = z.input<typeof policyPatchSchema>;

/** Which traffic an analytics query counts (nothing set: all of it); the stream's query is exactly that. */
export type TrafficFilter = StreamQuery;

export type ListParams = Partial<ListQuery>;

export type RevisionListParams = Partial<z.infer<typeof revisionListQuerySchema>>;
export type RevisionList = z.infer<typeof revisionListSchema>;

/** APIs can also be listed by the pool they use. */
export type ApiListParams = ListParams & Pick<ApiListQuery, "upstreamId">;

/** Every Admin API call the console makes, typed with the shared schemas. */
export const endpoints = {
  auth: {
    status: () => http.get<AuthStatus>("/auth/status"),
    setup: (input: SetupInput) => http.post<{ admin: Admin }>("/auth/setup", input),
    login: (input: LoginInput) => http.post<{ admin: Admin }>("/auth/login", input),
    logout: () => http.post<void>("/auth/logout"),
    sessions: () => http.get<{ data: Session[] }>("/auth/sessions"),
    revokeSession: (id: string) => http.delete(`/auth/sessions/${encodeURIComponent(id)}`),
  },
  gateway: {
    status: () => http.get<GatewayStatus>("/gateway/status"),
    call: (call: GatewayCall) => http.post<GatewayAnswer>("/gateway/call", call),
  },
  apis: {
    list: (params: ApiListParams) => http.get<Page<ApiDetail>>(`/apis${query({ ...params })}`),
    get: (id: string) => http.get<ApiDetail>(`/apis/${encodeURIComponent(id)}`),
    create: (input: ApiCreate) => http.post<ApiDetail>("/apis", input),
    update: (id: string, patch: ApiPatch) => http.patch<ApiDetail>(`/apis/${encodeURIComponent(id)}`, patch),
    remove: (id: string) => http.delete(`/apis/${encodeURIComponent(id)}`),
    purgeCache: (id: string, prefix?: string) =>
      http.delete<CachePurge>(`/apis/${encodeURIComponent(id)}/cache${query({ prefix })}`),
    attachOpenApi: (id: string, input: OpenApiAttach) =>
      http.post<OpenApiAttachResult>(`/apis/${encodeURIComponent(id)}/openapi`, input),
    importOpenApi: (input: OpenApiImport) => http.post<ConfigPlan>("/openapi/import", input),
  },
  routes: {
    create: (apiId: string, input: RouteInput) => http.post<Route>(`/apis/${encodeURIComponent(apiId)}/routes`, input),
    update: (apiId: string, routeId: string, input: Partial<RouteInput>) =>
      http.patch<Route>(`/apis/${encodeURIComponent(apiId)}/routes/${encodeURIComponent(routeId)}`, input),
    remove: (apiId: string, routeId: string) =>
      http.delete(`/apis/${encodeURIComponent(apiId)}/routes/${encodeURIComponent(routeId)}`),
  },
  upstreams: {
    list: (params: ListParams) => http.get<Page<Upstream>>(`/upstreams${query({ ...params })}`),
    get: (id: string) => http.get<Upstream>(`/upstreams/${encodeURIComponent(id)}`),
    create: (input: UpstreamCreate) => http.post<Upstream>("/upstreams", input),
    update: (id: string, patch: UpstreamPatch) => http.patch<Upstream>(`/upstreams/${encodeURIComponent(id)}`, patch),
    remove: (id: string) => http.delete(`/upstreams/${encodeURIComponent(id)}`),
    health: (id: string) => http.get<UpstreamHealth>(`/upstreams/${encodeURIComponent(id)}/health`),
  },
  consumers: {
    list: (params: ListParams) => http.get<Page<Consumer>>(`/consumers${query({ ...params })}`),
    get: (id: string) => http.get<Consumer>(`/consumers/${encodeURIComponent(id)}`),
    create: (input: ConsumerCreate) => http.post<Consumer>("/consumers", input),
    update: (id: string, patch: Partial<ConsumerCreate>) =>
      http.patch<Consumer>(`/consumers/${encodeURIComponent(id)}`, patch),
    remove: (id: string) => http.delete(`/consumers/${encodeURIComponent(id)}`),
  },
  keys: {
    list: (consumerId: string) => http.get<{ data: ApiKey[] }>(`/consumers/${encodeURIComponent(consumerId)}/keys`),
    issue: (consumerId: string, input: ApiKeyCreate) =>
      http.post<ApiKeyIssued>(`/consumers/${encodeURIComponent(consumerId)}/keys`, input),
    revoke: (consumerId: string, keyId: string) =>
      http.post<ApiKey>(`/consumers/${encodeURIComponent(consumerId)}/keys/${encodeURIComponent(keyId)}/revoke`),
    rotate: (consumerId: string, keyId: string, gracePeriodSeconds: number) =>
      http.post<z.infer<typeof apiKeyRotatedSchema>>(
        `/consumers/${encodeURIComponent(consumerId)}/keys/${encodeURIComponent(keyId)}/rotate`,
        { gracePeriodSeconds },
      ),
  },
  certificates: {
    list: () => http.get<{ data: Certificate[] }>("/certificates"),
    create: (input: CertificateCreate) => http.post<Certificate>("/certificates", input),
    remove: (id: string) => http.delete(`/certificates/${encodeURIComponent(id)}`),
  },
  plans: {
    list: () => http.get<{ data: Plan[] }>("/plans"),
    create: (input: PlanCreate) => http.post<Plan>("/plans", input),
    update: (id: string, patch: Partial<PlanCreate>) => http.patch<Plan>(`/plans/${encodeURIComponent(id)}`, patch),
    remove: (id: string) => http.delete(`/plans/${encodeURIComponent(id)}`),
  },
  policies: {
    types: () => http.get<{ data: PolicyType[] }>("/policy-types"),
    list: (filter: PolicyFilter) => http.get<{ data: Policy[] }>(`/policies${query({ ...filter })}`),
    create: (input: PolicyCreate) => http.post<Policy>("/policies", input),
    update: (id: string, patch: PolicyPatch) => http.patch<Policy>(`/policies/${encodeURIComponent(id)}`, patch),
    remove: (id: string) => http.delete(`/policies/${encodeURIComponent(id)}`),
  },
  analytics: {
    timeseries: (params: TimeseriesQuery) => http.get<Timeseries>(`/analytics/timeseries${query({ ...params })}`),
    top: (params: Omit<TopQuery, "limit"> & { limit?: number }) =>
      http.get<Top>(`/analytics/top${query({ ...params })}`),
    usage: (params: Omit<UsageQuery, "format">) => http.get<Usage>(`/analytics/usage${query({ ...params })}`),
    usageCsvUrl: (params: Omit<UsageQuery, "format">) =>
      apiUrl(`/analytics/usage${query({ ...params, format: "csv" })}`),
    requests: (params: Partial<RequestLogQuery>) => http.get<RequestLog>(`/analytics/requests${query({ ...params })}`),
    codes: (params: CodesQuery) => http.get<Codes>(`/analytics/codes${query({ ...params })}`),
    pools: (params: PoolsQuery) => http.get<Pools>(`/analytics/pools${query({ ...params })}`),
    streamUrl: (filter: TrafficFilter) => apiUrl(`/analytics/stream${query({ ...filter })}`),
  },
  nodes: {
    list: () => http.get<z.infer<typeof nodeListSchema>>("/nodes"),
    tokens: () => http.get<{ data: NodeToken[] }>("/nodes/tokens"),
    createToken: (input: NodeTokenCreate) => http.post<NodeTokenIssued>("/nodes/tokens", input),
    revokeToken: (id: string) => http.post<NodeToken>(`/nodes/tokens/${encodeURIComponent(id)}/revoke`),
  },
  config: {
    /** The whole config as the file, for the browser to save (it sends the session cookie itself). */
    downloadUrl: () => apiUrl("/config?format=yaml"),
    diff: (input: ConfigApplyRequest) => http.post<ConfigPlan>("/config/diff", input),
    apply: (input: ConfigApplyRequest, options: WriteOptions) => http.post<ConfigPlan>("/config/apply", input, options),
  },
  revisions: {
    list: (params: RevisionListParams) => http.get<RevisionList>(`/revisions${query({ ...params })}`),
    get: (revision: number) => http.get<RevisionDetail>(`/revisions/${revision}`),
    rollback: (revision: number, dryRun: boolean, options: WriteOptions = {}) =>
      http.post<ConfigPlan>(`/revisions/${revision}/rollback`, { dryRun }, options),
  },
  targets: {
    create: (upstreamId: string, input: TargetInput) =>
      http.post<Target>(`/upstreams/${encodeURIComponent(upstreamId)}/targets`, input),
    update: (upstreamId: string, targetId: string, patch: Partial<TargetInput>) =>
      http.patch<Target>(`/upstreams/${encodeURIComponent(upstreamId)}/targets/${encodeURIComponent(targetId)}`, patch),
    remove: (upstreamId: string, targetId: string) =>
      http.delete(`/upstreams/${encodeURIComponent(upstreamId)}/targets/${encodeURIComponent(targetId)}`),
  },
};

export const queryKeys = {
  authStatus: ["auth-status"] as const,
  sessions: ["sessions"] as const,
  gatewayStatus: ["gateway-status"] as const,
  apis: ["apis"] as const,
  apiList: (params: ApiListParams) => ["apis", "list", params] as const,
  api: (id: string) => ["apis", "detail", id] as const,
  upstreams: ["upstreams"] as const,
  upstreamList: (params: ListParams) => ["upstreams", "list", params] as const,
  upstream: (id: string) => ["upstreams", "detail", id] as const,
  upstreamHealth: (id: string) => ["upstreams", "health", id] as const,
  consumers: ["consumers"] as const,
  consumerList: (params: ListParams) => ["consumers", "list", params] as const,
  consumer: (id: string) => ["consumers", "detail", id] as const,
  keys: (consumerId: string) => ["consumers", "keys", consumerId] as const,
  plans: ["plans"] as const,
  certificates: ["certificates"] as const,
  policyTypes: ["policy-types"] as const,
  policies: ["policies"] as const,
  policyList: (filter: PolicyFilter) => ["policies", "list", filter] as const,
  nodes: ["nodes", "list"] as const,
  revisions: ["revisions"] as const,
  revisionList: (params: RevisionListParams) => ["revisions", "list", params] as const,
  revision: (revision: number) => ["revisions", "detail", revision] as const,
  nodeTokens: ["nodes", "tokens"] as const,
  /** Analytics keys name a window ("1h", "live"), not instants: each fetch reads up to its own now. */
  timeseries: (filter: TrafficFilter, window: string) => ["analytics", "timeseries", filter, window] as const,
  top: (by: TopQuery["by"], filter: TrafficFilter, window: string) => ["analytics", "top", by, filter, window] as const,
  usage: (consumerId: string, window: string) => ["analytics", "usage", consumerId, window] as const,
  requestLog: (params: Partial<RequestLogQuery>) => ["analytics", "requests", params] as const,
  codes: (apiId: string | undefined, window: string) => ["analytics", "codes", apiId, window] as const,
  pools: (apiId: string) => ["analytics", "pools", apiId] as const,
};
