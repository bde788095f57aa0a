import { secretsKey } from "@gatehouse/db";
import type { WorkerTls } from "../workers/messages.ts";
import { defaultCertificate } from "./default-certificate.ts";

/** What every proxy thread needs for the TLS port, read or made once on the host before any listens. */
export async function prepareTls(dataDir: string, port: number): Promise<WorkerTls> {
  return { port, fallback: await defaultCertificate(dataDir), secretsKey: secretsKey(dataDir) };
}
