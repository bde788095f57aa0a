import { consoleServices } from "@/server/admin-api.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The Admin API is one Hono app; this file only hands it the request. */
function handle(request: Request): Response | Promise<Response> {
  return consoleServices().api.fetch(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
