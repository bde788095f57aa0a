import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

/** A self-signed certificate made by openssl, as an admin would bring one from their CA. */
function makeCertificate(cn: string, days: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-cert-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", String(days)]
        .concat(["-subj", `/CN=${cn}`, "-addext", `subjectAltName=DNS:${cn}`])
        .concat(["-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    return {
      cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
      key: readFileSync(path.join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("[TLS] upload a certificate, see its names and expiry, get warned on the Overview, delete it", async ({
  page,
}) => {
  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/certificates`);
  await expect(page.getByText("No certificates yet")).toBeVisible();

  const other = makeCertificate("other.e2e.test", 30);
  const pair = makeCertificate("shop.e2e.test", 10);
  await page.getByRole("button", { name: "Upload certificate" }).click();
  const form = page.getByRole("form", { name: "Upload certificate" });
  await form.getByLabel("Certificate").fill(pair.cert);
  await form.getByLabel("Private key").fill(other.key);
  await form.getByRole("button", { name: "Upload certificate" }).click();
  await expect(form.getByText("The key does not belong to the certificate")).toBeVisible();

  await form.getByLabel("Private key").fill(pair.key);
  await form.getByRole("button", { name: "Upload certificate" }).click();
  const row = page.getByRole("row", { name: /shop\.e2e\.test/ });
  await expect(row).toContainText("CN=shop.e2e.test");
  await expect(row).toContainText(/\(9 days\)|\(10 days\)/);
  await expect(page.getByText(pair.key.split("\n")[1] as string)).toHaveCount(0);

  const later = await stack.api("POST", "/certificates", makeCertificate("later.e2e.test", 90));
  expect(later.status).toBe(201);
  await page.goto(`${stack.consoleUrl}/overview`);
  const warning = page.getByRole("alert").filter({ hasText: "Certificates expire within 30 days" });
  await expect(warning).toContainText(/shop\.e2e\.test \((9|10) days left\)/);
  await expect(warning).not.toContainText("later.e2e.test");

  await page.goto(`${stack.consoleUrl}/certificates`);
  await page.getByRole("button", { name: "Delete certificate shop.e2e.test" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete certificate" }).click();
  await expect(page.getByRole("row", { name: /shop\.e2e\.test/ })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /later\.e2e\.test/ })).toContainText("CN=later.e2e.test");
  await screenshot(page, "certificates");
  const left = (await stack.api("GET", "/certificates")).json.data;
  expect(left.map((certificate: { snis: string[] }) => certificate.snis)).toEqual([["later.e2e.test"]]);
});
