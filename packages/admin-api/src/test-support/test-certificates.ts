import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestCertificates {
  /** A CA made for the test, and certificates it signed. */
  ca: KeyPair;
  /** For `localhost`, `upstream.test` and 127.0.0.1, signed by `ca`. */
  server: KeyPair;
  /** A client certificate (CN gateway), signed by `ca`. */
  client: KeyPair;
  /** Signed by no one: only `skipVerify` reaches a server showing it. */
  selfSigned: KeyPair;
}

/** Certificates made with the openssl command line, each test file its own, in a folder removed after. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-certs-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const read = (name: string): KeyPair => ({
    cert: readFileSync(join(dir, `${name}.crt`), "utf8"),
    key: readFileSync(join(dir, `${name}.key`), "utf8"),
  });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  try {
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      "/CN=Gatehouse Test CA",
    );
    const signed = (name: string, subject: string, extensions: string) => {
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl("req", "-new", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
      openssl(
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.crt`,
      );
    };
    signed(
      "server",
      "/CN=upstream.test",
      "subjectAltName=DNS:localhost,DNS:upstream.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    );
    signed("client", "/CN=gateway", "extendedKeyUsage=clientAuth\n");
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "self.key",
      "-out",
      "self.crt",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    );
    return { ca: read("ca"), server: read("server"), client: read("client"), selfSigned: read("self") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type TestCertificate = KeyPair;

/** A self-signed P-256 certificate made by openssl, as a client and an admin would bring one. */
export function makeCertificate(options: { cn: string; dns?: string[]; days?: number }): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cert-"));
  try {
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
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
