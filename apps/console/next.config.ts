import type { NextConfig } from "next";

// The Content-Security-Policy carries a per-request nonce, so proxy.ts sets it; these are static.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  },
];

// Browsers ignore HSTS over plain http, so sending it only behind a TLS-terminating proxy is enough.
const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

const nextConfig: NextConfig = {
  // Workspace packages are TypeScript source.
  transpilePackages: ["@gatehouse/shared", "@gatehouse/db", "@gatehouse/admin-api", "@gatehouse/policies"],
  serverExternalPackages: ["better-sqlite3"],
  // Type-checking runs as its own task (`tsc --noEmit -p .`).
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [hsts] },
    ];
  },
};

export default nextConfig;
