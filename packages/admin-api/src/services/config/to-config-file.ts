import type { PolicyRow, RouteRow } from "@gatehouse/db";
import { findPolicySchema, redactConfig } from "@gatehouse/policies/schemas";
import {
  CONFIG_FILE_VERSION,
  type ConfigFile,
  type ConfigObjectKind,
  type FileApi,
  type FileConsumer,
  type FilePlan,
  type FilePolicy,
  type FileRoute,
  type FileUpstream,
  shownTls,
} from "@gatehouse/shared";
import type {
  AnyObject,
  ApiObject,
  ConfigObjects,
  ConsumerObject,
  PlanObject,
  PolicyObject,
  UpstreamObject,
} from "./config-objects.ts";

/** How objects name each other in a file: pools and plans by name, not id. */
export interface FileNames {
  upstream: (id: string) => string;
  plan: (id: string) => string;
}

export interface FileOptions {
  /** Keep write-only fields and unmasked URLs: for a rollback's own apply, never for a reader. */
  secrets?: boolean;
  keys?: Map<string, FileConsumer["keys"]>;
}

export function fileNames(objects: ConfigObjects): FileNames {
  const upstreams = new Map(objects.upstreams.map(({ upstream }) => [upstream.id, upstream.name]));
  const plans = new Map(objects.plans.map(({ plan }) => [plan.id, plan.name]));
  return { upstream: (id) => upstreams.get(id) ?? id, plan: (id) => plans.get(id) ?? id };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byKey = (key: string, other: string) => (key < other ? -1 : key > other ? 1 : 0);
const routeKey = (route: RouteRow) => `${route.name ?? ""}\u0000${route.paths.join(",")}\u0000${route.id}`;

function filePolicy(row: PolicyRow, names: FileNames, options: FileOptions): FilePolicy {
  const schema = findPolicySchema(row.type);
  let config = row.config;
  if (schema) {
    if (!options.secrets) config = redactConfig(schema.config, config);
    for (const field of schema.upstreamFields ?? []) {
      const id = config[field];
      if (typeof id === "string") config = { ...config, [field]: names.upstream(id) };
    }
  }
  return { id: row.id, type: row.type, enabled: row.enabled, config };
}

const filePolicies = (rows: PolicyRow[], names: FileNames, options: FileOptions) =>
  rows.map((row) => filePolicy(row, names, options)).sort((a, b) => byKey(a.type, b.type));

function fileRoute(route: RouteRow, policies: PolicyRow[], names: FileNames, options: FileOptions): FileRoute {
  return {
    id: route.id,
    ...(route.name !== null ? { name: route.name } : {}),
    paths: route.paths,
    pathType: route.pathType,
    methods: route.methods,
    hosts: route.hosts,
    headers: route.headers,
    stripPath: route.stripPath,
    rewritePath: route.rewritePath,
    priority: route.priority,
    httpsOnly: route.httpsOnly,
    policies: filePolicies(
      policies.filter((policy) => policy.routeId === route.id),
      names,
      options,
    ),
  };
}

export function fileApi({ api, routes, policies }: ApiObject, names: FileNames, options: FileOptions = {}): FileApi {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    enabled: api.enabled,
    tags: api.tags,
    upstream: names.upstream(api.upstreamId),
    routes: [...routes]
      .sort((a, b) => byKey(routeKey(a), routeKey(b)))
      .map((route) => fileRoute(route, policies, names, options)),
    policies: filePolicies(
      policies.filter((policy) => policy.apiId === api.id),
      names,
      options,
    ),
  };
}

export function fileUpstream({ upstream, targets }: UpstreamObject, options: FileOptions = {}): FileUpstream {
  const {
    id,
    name,
    algorithm,
    hashOn,
    connectTimeoutMs,
    sendTimeoutMs,
    readTimeoutMs,
    retries,
    healthChecks,
    tls,
    tags,
  } = upstream;
  return {
    id,
    name,
    algorithm,
    hashOn,
    connectTimeoutMs,
    sendTimeoutMs,
    readTimeoutMs,
    retries,
    healthChecks,
    tls: options.secrets ? tls : shownTls(tls),
    tags,
    targets: [...targets]
      .sort((a, b) => byKey(a.url, b.url))
      .map(({ url, weight, enabled }) => ({ url, weight, enabled })),
  };
}

export function filePlan({ plan }: PlanObject): FilePlan {
  return { id: plan.id, name: plan.name, description: plan.description, limits: plan.limits, quota: plan.quota };
}

export function fileConsumer(
  { consumer, policies }: ConsumerObject,
  names: FileNames,
  options: FileOptions = {},
): FileConsumer {
  return {
    id: consumer.id,
    name: consumer.name,
    metadata: consumer.metadata,
    groups: consumer.groups,
    plan: consumer.planId === null ? null : names.plan(consumer.planId),
    policies: filePolicies(policies, names, options),
    keys: options.keys?.get(consumer.id) ?? [],
  };
}

/** One object in its file form (what a diff shows and compares). */
export function fileObject(kind: ConfigObjectKind, object: AnyObject, names: FileNames, options: FileOptions = {}) {
  switch (kind) {
    case "api":
      return fileApi(object as ApiObject, names, options);
    case "upstream":
      return fileUpstream(object as UpstreamObject, options);
    case "consumer":
      return fileConsumer(object as ConsumerObject, names, options);
    case "plan":
      return filePlan(object as PlanObject);
    case "policy":
      return filePolicy((object as PolicyObject).policy, names, options);
  }
}

/** The whole config as a file, in a stable order so two dumps of one config are the same text. */
export function toConfigFile(objects: ConfigObjects, options: FileOptions = {}): ConfigFile {
  const names = fileNames(objects);
  return {
    version: CONFIG_FILE_VERSION,
    upstreams: objects.upstreams.map((object) => fileUpstream(object, options)).sort(byName),
    apis: objects.apis.map((object) => fileApi(object, names, options)).sort(byName),
    plans: objects.plans.map((object) => filePlan(object)).sort(byName),
    consumers: objects.consumers.map((object) => fileConsumer(object, names, options)).sort(byName),
    policies: filePolicies(
      objects.policies.map(({ policy }) => policy),
      names,
      options,
    ),
  };
}
