import type { z } from "zod";
import type { AccessLogEntry } from "../access-log/entry.ts";
import type { PolicyDefinition } from "../types.ts";
import { httpLogSchema } from "./schema.ts";
import { HttpLogSender } from "./sender.ts";

type HttpLogConfig = z.output<typeof httpLogSchema.config>;

export const httpLog: PolicyDefinition<typeof httpLogSchema.config> = {
  ...httpLogSchema,
  create(config: HttpLogConfig, services, policyId) {
    const sender = new HttpLogSender(config, policyId, services);
    const logged = (entry: AccessLogEntry) => sender.push(JSON.stringify(entry));
    return {
      handle(ctx) {
        ctx.accessLoggers.push(logged);
        return undefined;
      },
      close() {
        sender.close();
      },
    };
  },
};
