import type { IncomingHttpHeaders } from "node:http";
import {
  HOST_MISMATCH,
  type HostPattern,
  parseHostPattern,
  parseRequestHost,
  type RequestHost,
  rankHost,
} from "./host.ts";
import { parseRoutePath } from "./path.ts";

/** What the router needs to know about a route; `data` is handed back on a match. */
export interface RouteDefinition<T> {
  paths: readonly string[];
  pathType: "prefix" | "exact";
  methods: readonly string[];
  hosts: readonly string[];
  headers: Readonly<Record<string, string>>;
  priority: number;
  data: T;
}

/** One path of one route, placed at a trie node. */
interface Entry {
  /** The route's position in the definitions, which indexes the router's data. */
  route: number;
  path: string;
  exact: boolean;
  segments: number;
  statics: number;
  /** One letter per segment, S static or P param, so earlier statics compare greater. */
  shape: string;
  paramNames: readonly string[];
  methods: ReadonlySet<string> | null;
  hosts: readonly HostPattern[] | null;
  headers: readonly (readonly [string, string])[];
  priority: number;
  /** Position in definition order: lower is older and wins the last tie. */
  order: number;
}

interface TrieNode {
  statics: Map<string, TrieNode> | null;
  param: TrieNode | null;
  exact: Entry[];
  prefix: Entry[];
}

export interface RouteMatch<T> {
  data: T;
  /** The route path that matched, as configured. */
  path: string;
  paramNames: readonly string[];
  paramValues: readonly string[];
  /** Length of the request path's matched part (`/demo` of `/demo/users`). */
  matchedLength: number;
}

export interface MatchRequest {
  method: string;
  host: string | undefined;
  path: string;
  headers: IncomingHttpHeaders;
}

const newNode = (): TrieNode => ({ statics: null, param: null, exact: [], prefix: [] });

/**
 * A segment trie. Matching walks static and param branches (backtracking over both), keeps the
 * most specific entry that passes the method/host/header checks, and never scans the whole table.
 * The trie never changes once built: `withData` hands the same routes other data, so a config
 * revision that changes no route skips the rebuild.
 */
export class Router<T> {
  #root: TrieNode = newNode();
  #size = 0;
  #data: readonly T[];

  constructor(routes: readonly RouteDefinition<T>[]) {
    this.#data = routes.map((route) => route.data);
    let order = 0;
    routes.forEach((route, index) => {
      const methods = route.methods.length > 0 ? new Set(route.methods.map((m) => m.toUpperCase())) : null;
      const hosts = route.hosts.length > 0 ? route.hosts.map(parseHostPattern) : null;
      const headers = Object.entries(route.headers).map(([name, value]) => [name.toLowerCase(), value] as const);
      for (const path of route.paths) {
        const segments = parseRoutePath(path);
        let node = this.#root;
        for (const segment of segments) {
          if (segment.param) {
            node.param ??= newNode();
            node = node.param;
          } else {
            node.statics ??= new Map();
            let child = node.statics.get(segment.value);
            if (!child) {
              child = newNode();
              node.statics.set(segment.value, child);
            }
            node = child;
          }
        }
        const entry: Entry = {
          route: index,
          path,
          exact: route.pathType === "exact",
          segments: segments.length,
          statics: segments.filter((s) => !s.param).length,
          shape: segments.map((s) => (s.param ? "P" : "S")).join(""),
          paramNames: segments.filter((s) => s.param).map((s) => s.value),
          methods,
          hosts,
          headers,
          priority: route.priority,
          order: order++,
        };
        (entry.exact ? node.exact : node.prefix).push(entry);
      }
    });
    this.#size = order;
  }

  /** The number of paths in the trie. */
  get size(): number {
    return this.#size;
  }

  /** The same routes answering with `data[i]` for definition i. */
  withData<U>(data: readonly U[]): Router<U> {
    if (data.length !== this.#data.length) {
      throw new Error(`withData: ${data.length} items for ${this.#data.length} routes`);
    }
    const next = new Router<U>([]);
    next.#root = this.#root;
    next.#size = this.#size;
    next.#data = data;
    return next;
  }

  match(request: MatchRequest): RouteMatch<T> | null {
    const parts = request.path.split("/");
    // parts[0] is the empty string before the leading slash; a trailing slash leaves a last "".
    const end = parts.length > 1 && parts[parts.length - 1] === "" ? parts.length - 1 : parts.length;
    const search: Search = {
      request,
      host: null,
      parts,
      end,
      values: [],
      best: null,
      bestHost: HOST_MISMATCH,
      bestValues: [],
      bestDepth: 0,
    };
    visit(this.#root, 1, search);
    const best = search.best as Entry | null;
    if (best === null) return null;
    let matchedLength = 0;
    for (let i = 1; i <= search.bestDepth; i++) matchedLength += 1 + (parts[i] as string).length;
    return {
      data: this.#data[best.route] as T,
      path: best.path,
      paramNames: best.paramNames,
      paramValues: search.bestValues,
      matchedLength,
    };
  }
}

interface Search {
  request: MatchRequest;
  host: RequestHost | null;
  parts: string[];
  end: number;
  values: string[];
  best: Entry | null;
  bestHost: number;
  bestValues: string[];
  bestDepth: number;
}

function visit(node: TrieNode, index: number, search: Search): void {
  const depth = index - 1;
  for (const entry of node.prefix) consider(entry, depth, search);
  if (index >= search.end) {
    for (const entry of node.exact) consider(entry, depth, search);
    return;
  }
  const segment = search.parts[index] as string;
  const child = node.statics?.get(segment);
  if (child) visit(child, index + 1, search);
  if (node.param && segment !== "") {
    search.values.push(segment);
    visit(node.param, index + 1, search);
    search.values.pop();
  }
}

function consider(entry: Entry, depth: number, search: Search): void {
  const { request } = search;
  if (entry.methods !== null && !entry.methods.has(request.method)) return;
  for (const [name, value] of entry.headers) {
    if (request.headers[name] !== value) return;
  }
  let hostRank = 0;
  if (entry.hosts !== null) {
    search.host ??= parseRequestHost(request.host);
    hostRank = rankHost(entry.hosts, search.host);
    if (hostRank === HOST_MISMATCH) return;
  }
  if (search.best !== null && !beats(entry, hostRank, search.best, search.bestHost)) return;
  search.best = entry;
  search.bestHost = hostRank;
  search.bestValues = search.values.slice();
  search.bestDepth = depth;
}

/** The specificity order: host, exact over prefix, segments, statics (earlier first), headers, priority, age. */
function beats(a: Entry, aHost: number, b: Entry, bHost: number): boolean {
  if (aHost !== bHost) return aHost > bHost;
  if (a.exact !== b.exact) return a.exact;
  if (a.segments !== b.segments) return a.segments > b.segments;
  if (a.statics !== b.statics) return a.statics > b.statics;
  if (a.shape !== b.shape) return a.shape > b.shape;
  if (a.headers.length !== b.headers.length) return a.headers.length > b.headers.length;
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.order < b.order;
}
