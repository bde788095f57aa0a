import path from "node:path";
import { secretsKey } from "@gatehouse/db";
import { certificateCreateSchema, certificatePatchSchema, certificateSchema } from "@gatehouse/shared";
import { z } from "zod";
import {
  createCertificate,
  deleteCertificate,
  getCertificate,
  listCertificates,
  replaceCertificate,
} from "../../services/certificates/certificate-verbs.ts";
import type { AdminApiDeps } from "../env.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

export function certificateOperations(deps: AdminApiDeps): Operation[] {
  // The gateway reads the same key: the data dir config.db is in, unless GATEHOUSE_SECRETS_KEY is set.
  let key: Buffer | undefined;
  const sealing = () => {
    key ??= secretsKey(deps.dataDir ?? path.dirname(deps.db.$client.name));
    return key;
  };
  return [
    {
      method: "get",
      path: "/certificates",
      tag: "Certificates",
      summary: "List TLS certificates, soonest expiry first",
      response: z.object({ data: z.array(certificateSchema) }),
      handler: ({ ctx }) => listCertificates(ctx.db),
    },
    {
      method: "post",
      path: "/certificates",
      tag: "Certificates",
      summary: "Upload a certificate chain and its key; the gateway serves it for its names (SNI)",
      body: certificateCreateSchema,
      response: certificateSchema,
      status: 201,
      handler: ({ ctx, body }) => createCertificate(ctx, sealing(), body),
    },
    {
      method: "get",
      path: "/certificates/:id",
      tag: "Certificates",
      summary: "Get a certificate (its public part; the key is never returned)",
      response: certificateSchema,
      handler: ({ ctx, params }) => getCertificate(ctx.db, p(params, "id")),
    },
    {
      method: "patch",
      path: "/certificates/:id",
      tag: "Certificates",
      summary: "Replace a certificate and its key (a renewal), served on new handshakes without a restart",
      body: certificatePatchSchema,
      response: certificateSchema,
      handler: ({ ctx, params, body }) => replaceCertificate(ctx, sealing(), p(params, "id"), body),
    },
    {
      method: "delete",
      path: "/certificates/:id",
      tag: "Certificates",
      summary: "Delete a certificate; its names get the default certificate",
      status: 204,
      handler: ({ ctx, params }) => deleteCertificate(ctx, p(params, "id")),
    },
  ];
}
