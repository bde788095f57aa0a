import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Child, freePort, startChild, waitForPort, which } from "./processes.ts";

/** Debian puts nginx in /usr/sbin, which is not on every user's PATH. */
export function findNginx(): string | null {
  const found = which("nginx");
  if (found) return found;
  return existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null;
}

export function nginxVersion(binary: string): string {
  // nginx prints its version on stderr.
  const { stdout, stderr } = spawnSync(binary, ["-v"], { encoding: "utf8" });
  return `${stderr}${stdout}`.trim().replace(/^nginx version: /, "") || "unknown";
}

export interface NginxInstance {
  url: string;
  /** The master; its workers are its children (CPU and RSS are read over all). */
  pid: number;
  stop: () => Promise<void>;
}

/**
 * One nginx with its own prefix, config, pid file, logs and temp paths under a temp dir,
 * listening on 127.0.0.1 only, `workers` worker processes, in the foreground so it is our child.
 */
async function startNginx(
  binary: string,
  name: string,
  serverBlock: (port: number, dir: string) => string,
  workers = 1,
): Promise<NginxInstance> {
  const dir = mkdtempSync(path.join(tmpdir(), `gatehouse-bench-${name}-`));
  mkdirSync(path.join(dir, "logs"));
  const port = await freePort();
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `  ${kind}_temp_path ${path.join(dir, kind)};`)
    .join("\n");
  const config = `
# Workers would run as nobody, who cannot enter our private temp dir.
${process.getuid?.() === 0 ? "user root;" : ""}
worker_processes ${workers};
daemon off;
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "logs", "error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
${temp}
  default_type text/plain;
  keepalive_timeout 65s;
  # Node's server has no per-connection request cap; lift nginx's default of 1000 to match.
  keepalive_requests 10000000;
${serverBlock(port, dir)}
}
`;
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, config);
  const child: Child = startChild(binary, ["-p", dir, "-c", file, "-e", path.join(dir, "logs", "error.log")]);
  try {
    await waitForPort(port);
  } catch (error) {
    await child.stop("SIGKILL");
    throw new Error(`nginx ${name} did not start: ${(error as Error).message}\n${child.output()}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      await child.stop("SIGQUIT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The upstream every target forwards to: a fixed 2-byte body. */
export function startNginxUpstream(binary: string): Promise<NginxInstance> {
  return startNginx(
    binary,
    "upstream",
    (port) => `  server {
    listen 127.0.0.1:${port};
    location / { return 200 "ok"; }
  }`,
  );
}

/**
 * nginx as a reverse proxy with upstream keep-alive, setting the same forwarding headers as
 * Gatehouse; with `cache`, answers are kept an hour in a proxy_cache whose index sits in shared
 * memory and whose bodies are files (the page cache holds them after the first read).
 */
export function startNginxProxy(
  binary: string,
  upstreamUrl: string,
  workers = 1,
  cache = false,
): Promise<NginxInstance> {
  return startNginx(
    binary,
    cache ? "cache" : "proxy",
    (port, dir) => proxyBlock(upstreamUrl, `listen 127.0.0.1:${port};`, cache ? path.join(dir, "cache") : null),
    workers,
  );
}

/** PEM files of a certificate chain and its key. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/**
 * The same proxy on HTTPS, with what Gatehouse's TLS port offers: TLS 1.2 and 1.3 only (nginx
 * 1.22 would also take 1.0 and 1.1, and no 1.3, by default) and HTTP/2 by ALPN. Its URL names
 * localhost, the name the bench's certificate is for, so clients send it as SNI.
 */
export async function startNginxTlsProxy(
  binary: string,
  upstreamUrl: string,
  tls: TlsFiles,
  workers = 1,
): Promise<NginxInstance> {
  const instance = await startNginx(
    binary,
    "tls",
    (port) =>
      proxyBlock(
        upstreamUrl,
        `listen 127.0.0.1:${port} ssl http2;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};`,
        null,
      ),
    workers,
  );
  return { ...instance, url: instance.url.replace("http://127.0.0.1", "https://localhost") };
}

function proxyBlock(upstreamUrl: string, listen: string, cacheDir: string | null): string {
  const upstream = new URL(upstreamUrl).host;
  return `${cacheDir ? `  proxy_cache_path ${cacheDir} keys_zone=bench:10m;\n` : ""}  upstream backend {
    server ${upstream};
    keepalive 128;
    keepalive_requests 10000000;
  }
  server {
    ${listen}
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Request-Id $request_id;
      add_header X-Request-Id $request_id;${
        cacheDir
          ? `
      proxy_cache bench;
      proxy_cache_valid 200 1h;
      add_header X-Cache-Status $upstream_cache_status;`
          : ""
      }
    }
  }`;
}
