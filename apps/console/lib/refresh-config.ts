import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "./endpoints.ts";

const CONFIG_QUERIES = [
  queryKeys.apis,
  queryKeys.upstreams,
  queryKeys.consumers,
  queryKeys.plans,
  queryKeys.policies,
  queryKeys.revisions,
];

/** After a write that may touch any object (an applied file, a rollback), every page reads the config again. */
export function refreshConfig(queryClient: QueryClient): Promise<void> {
  return Promise.all(CONFIG_QUERIES.map((queryKey) => queryClient.invalidateQueries({ queryKey }))).then(() => {});
}
