import type { ApiDetail, GatewayCall, Policy, Route } from "@gatehouse/shared";

/** key-auth's default header, for a policy row saved before the config carried one. */
const DEFAULT_KEY_HEADER = "x-api-key";

/**
 * The header a route's key-auth policy reads its key from, or null when no key-auth applies.
 * As the gateway resolves them: only enabled policies count, and the route's own beats its
 * API's, which beats a global one.
 */
export function keyHeaderFor(route: Route, policies: Policy[]): string | null {
  const keyAuth = policies.filter((p) => p.type === "key-auth" && p.enabled && p.consumerId === null);
  const policy =
    keyAuth.find((p) => p.routeId === route.id) ??
    keyAuth.find((p) => p.routeId === null && p.apiId === route.apiId) ??
    keyAuth.find((p) => p.routeId === null && p.apiId === null);
  if (!policy) return null;
  const header = policy.config.header;
  return typeof header === "string" && header ? header : DEFAULT_KEY_HEADER;
}

/**
 * A request the route matches: its first path with each :param filled, a method it takes, a
 * host it serves (a wildcard's first label filled in) and the header values it requires.
 */
export function callFor(route: Route, key?: { header: string; value: string }): GatewayCall | null {
  const path = route.paths[0];
  if (!path) return null;
  const method = route.methods.includes("GET") ? "GET" : (route.methods[0] ?? "GET");
  const headers: Record<string, string> = {};
  const host = route.hosts.find((h) => !h.startsWith("*.")) ?? route.hosts[0]?.replace(/^\*\./, "api.");
  if (host) headers.host = host;
  Object.assign(headers, route.headers);
  if (key) headers[key.header] = key.value;
  return { method, path: path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, "1"), headers };
}

const quote = (s: string) => (/^[\w:/.@%~+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** The call as a curl command line against the gateway's public URL. */
export function curlFor(gatewayUrl: string, call: GatewayCall): string {
  const method = call.method === "GET" ? [] : call.method === "HEAD" ? ["--head"] : [`-X ${call.method}`];
  const headers = Object.entries(call.headers ?? {}).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
  return ["curl", ...method, ...headers, quote(`${gatewayUrl}${call.path}`)].join(" ");
}

export interface KeyCall {
  api: ApiDetail;
  route: Route;
  header: string;
}

/**
 * A route a key can call: on an enabled API within the key's scope (empty: every API), under
 * key-auth. A route without key-auth would answer without looking at the key at all.
 */
export function routeForKey(apis: ApiDetail[], policies: Policy[], apiIds: string[]): KeyCall | undefined {
  for (const api of apis) {
    if (!api.enabled || (apiIds.length > 0 && !apiIds.includes(api.id))) continue;
    for (const route of api.routes) {
      const header = keyHeaderFor(route, policies);
      if (header && route.paths.length > 0) return { api, route, header };
    }
  }
  return undefined;
}
