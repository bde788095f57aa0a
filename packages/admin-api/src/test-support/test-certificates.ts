import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCertificate {
  cert: string;
  key: string;
}

/** A self-signed P-256 certificate made by openssl, as a client and an admin would bring one. */
export function makeCertificate(options: { cn: string; dns?: string[]; days?: number }): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cert-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    const san =
      options.dns && options.dns.length > 0
        ? ["-addext", `subjectAltName=${options.dns.map((name) => `DNS:${name}`).join(",")}`]
        : [];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        String(options.days ?? 30),
        "-subj",
        `/O=Gatehouse Test/CN=${options.cn}`,
        ...san,
      ],
      { stdio: "ignore" },
    );
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
