import { upstreamPatchSchema } from "@gatehouse/shared";
import { describe, expect, test } from "vitest";
import { initialTlsValues, TLS_KEYS, tlsPayload } from "./pool-tls-values.ts";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

describe("[UPSTREAM-TLS] the pool's TLS form values", () => {
  test("the fields are the shared schema's, the key among them, and the saved key is never filled in", () => {
    expect(TLS_KEYS).toEqual(["caBundle", "serverName", "clientCertificate", "clientKey", "skipVerify"]);
    expect(initialTlsValues({ clientCertificate: PEM, skipVerify: true })).toEqual({
      caBundle: "",
      serverName: "",
      clientCertificate: PEM,
      clientKey: "",
      skipVerify: true,
    });
  });

  test("sent back unchanged, the settings leave the key out (the Admin API keeps the saved one) and blank fields unset", () => {
    const values = { ...initialTlsValues({ clientCertificate: PEM, skipVerify: false }), serverName: "  " };
    const payload = tlsPayload(values);
    expect(payload).toEqual({ tls: { clientCertificate: PEM, skipVerify: false } });
    expect(upstreamPatchSchema.safeParse(payload).success).toBe(true);
    expect(tlsPayload({ ...values, clientKey: " KEY \n" }).tls).toMatchObject({ clientKey: "KEY" });
  });
});
