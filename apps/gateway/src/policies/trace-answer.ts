import type { ServerResponse } from "node:http";
import { epochNow, type RequestTrace } from "@gatehouse/policies";

/** Tells a traced request's policy when the client's exchange is over, and with which status. */
export function traceAnswer(res: ServerResponse, trace: RequestTrace): void {
  // A response closes once it is finished as well as when the client goes away first.
  res.once("close", () => trace.finished(res.headersSent ? res.statusCode : 0, epochNow()));
}
