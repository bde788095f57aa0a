import { HTTP_TOKEN, headerName } from "@gatehouse/shared";
import { z } from "zod";
import type { PolicySchema } from "../types.ts";

/** Apps in a web view send their own scheme (capacitor://localhost), which URL gives no origin for. */
const OTHER_SCHEME_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;

function originProblem(value: string): string | undefined {
  if (value === "*") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Use an origin such as https://app.example.com, or *";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return OTHER_SCHEME_ORIGIN.test(value) ? undefined : "Use an origin such as https://app.example.com, or *";
  }
  // Browsers send the origin serialized (no path, no default port): anything else would never match.
  return url.origin === value ? undefined : `Use the origin only: ${url.origin}`;
}

const headerList = z
  .array(headerName({ trim: true }))
  .max(100)
  .default([]);

export const corsSchema = {
  type: "cors",
  title: "CORS",
  description: "Lets web pages on other origins call the API: answers preflights and adds Access-Control headers.",
  phase: "cors",
  scopes: ["global", "api", "route"],
  config: z
    .strictObject({
      origins: z
        .array(
          z
            .string()
            .trim()
            .toLowerCase()
            .max(200)
            .superRefine((value, ctx) => {
              const problem = originProblem(value);
              if (problem) ctx.addIssue({ code: "custom", message: problem });
            }),
        )
        .min(1, "List at least one origin, or *")
        .max(100)
        .default(["*"])
        .meta({
          title: "Allowed origins",
          description: "Origins such as https://app.example.com whose pages may call the API; * allows any.",
        }),
      methods: z
        .array(z.string().trim().toUpperCase().regex(HTTP_TOKEN, "Not a valid HTTP method"))
        .min(1, "Allow at least one method")
        .max(20)
        .default(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
        .meta({ title: "Allowed methods", description: "Methods a page may call with." }),
      headers: headerList.meta({
        title: "Allowed headers",
        description: "Request headers a page may send; empty allows whatever the browser asks for.",
      }),
      exposeHeaders: headerList.meta({
        title: "Exposed headers",
        description: "Response headers a page may read beyond the basic ones (e.g. x-ratelimit-remaining).",
      }),
      credentials: z.boolean().default(false).meta({
        title: "Allow credentials",
        description: "Let pages send cookies and Authorization; needs listed origins, not *.",
      }),
      maxAgeSeconds: z.int().min(0).max(86_400).default(600).meta({
        title: "Preflight cache (seconds)",
        description: "How long a browser may reuse a preflight answer (Chrome caps it at 7200).",
      }),
    })
    .superRefine((config, ctx) => {
      if (!config.origins.includes("*")) return;
      if (config.origins.length > 1) {
        ctx.addIssue({
          code: "custom",
          path: ["origins"],
          message: "* already allows every origin: list origins or *",
        });
      }
      // The Fetch standard refuses `*` with credentials, and reflecting any origin instead would let every site act as the user.
      if (config.credentials) {
        ctx.addIssue({ code: "custom", path: ["credentials"], message: "Credentials need listed origins, not *" });
      }
    }),
} as const satisfies PolicySchema;
