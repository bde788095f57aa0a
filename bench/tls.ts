/**
 * What HTTPS costs at the gateway, against plain HTTP and against nginx doing the same with
 * TLS (nginx proxying to the same nginx upstream): CPU time per request of every thread of the
 * proxy (from /proc, over each run) and the rate, one proxy thread each (nginx 1 worker,
 * GATEHOUSE_WORKERS=1), the load tool pinned to core 1. Both serve one certificate, made here
 * with openssl (ECDSA P-256, for localhost) and uploaded to Gatehouse through POST /certificates;
 * TLS 1.3 with an X25519 key exchange throughout.
 *   1. keep-alive: wrk -t1 -c<connections> over http:// and https:// (TLS 1.3, HTTP/1.1);
 *   2. a new connection per request: bench/load/new-connections.ts, whose every TLS connection
 *      is a full handshake (no session offered; resumptions counted), and the same over TCP;
 *   3. HTTP/2 against HTTP/1.1 over TLS: h2load -n (10,000 × seconds) with the same requests in
 *      flight, <connections> HTTP/1.1 connections or <connections>/10 HTTP/2 ones of 10 streams.
 * Interleaved repetitions; the figures are medians. Writes bench/results/tls-<date>.md.
 *
 *   node bench/tls.ts [--seconds 4] [--repetitions 3] [--warmup 2] [--connections 50]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeResult } from "./compare.ts";
import { toolVersions } from "./environment.ts";
import { startGatehouse } from "./gatehouse.ts";
import { runH2loadWithCpu } from "./load/h2load.ts";
import { measureNewConnections } from "./load/new-connections-process.ts";
import { runWrkWithCpu } from "./load/wrk.ts";
import { loadOptions, say } from "./load-options.ts";
import { findNginx, startNginxProxy, startNginxTlsProxy, startNginxUpstream } from "./nginx.ts";
import { CLOCK_TICKS, cpuSeconds, freePort, which } from "./processes.ts";
import { median } from "./report.ts";

const { seconds, repetitions, warmup, connections } = loadOptions({
  seconds: 4,
  repetitions: 3,
  warmup: 2,
  connections: 50,
});
const H2_STREAMS = 10;
const H2_REQUESTS_PER_SECOND_OPTION = 10_000;
const LOAD_CPU = "1";

const wrk = which("wrk");
const h2load = which("h2load");
const openssl = which("openssl");
const nginx = findNginx();
if (!wrk || !h2load || !openssl || !nginx || !which("taskset")) {
  throw new Error("this bench needs wrk, h2load (Debian: nghttp2-client), openssl, nginx and taskset (util-linux)");
}

/** What one run of a load against a target did. */
interface Sample {
  /** Requests answered 2xx. */
  count: number;
  seconds: number;
  errors: number;
  loadCpuSeconds: number;
  note: string;
}

interface Case {
  part: 1 | 2 | 3;
  label: string;
  pid: number;
  run: (seconds: number) => Promise<Sample>;
  /** Microseconds of proxy CPU per request, requests per second and the load tool's share of its core, one per repetition. */
  cpuUs: number[];
  rate: number[];
  loadShare: number[];
  errors: number;
  note: string;
}

const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch((error) => say(`stop failed: ${error}`));
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

/** A self-signed ECDSA P-256 certificate for localhost (and 127.0.0.1), in a temp dir. */
function makeCertificate(): { dir: string; cert: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-bench-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    openssl as string,
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30"],
      ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ...["-keyout", key, "-out", cert],
    ],
    { stdio: "ignore" },
  );
  return { dir, cert, key };
}

const wrkCase =
  (url: string) =>
  async (duration: number): Promise<Sample> => {
    const result = await runWrkWithCpu(wrk, { url, connections, threads: 1, seconds: duration, routes: 1 }, LOAD_CPU);
    return { ...result, count: result.requests - result.errors, note: "" };
  };

const newConnectionsCase =
  (url: string) =>
  async (duration: number): Promise<Sample> => {
    const result = await measureNewConnections(url, "/api0/users/1", connections, duration, LOAD_CPU);
    const tls = result.tls
      ? `${result.tls.protocol} ${result.tls.group} ${result.tls.certificate}, resumed ${result.resumed}`
      : "";
    return {
      count: result.ok,
      seconds: result.seconds,
      errors: result.errors,
      loadCpuSeconds: result.cpuSeconds,
      note: tls,
    };
  };

const h2loadCase =
  (url: string, h1: boolean) =>
  async (duration: number): Promise<Sample> => {
    const result = await runH2loadWithCpu(
      h2load,
      {
        url: `${url}/api0/users/1`,
        requests: H2_REQUESTS_PER_SECOND_OPTION * duration,
        clients: h1 ? connections : Math.max(1, Math.round(connections / H2_STREAMS)),
        streams: H2_STREAMS,
        h1,
      },
      LOAD_CPU,
    );
    return { ...result, count: result.succeeded, note: result.protocol };
  };

const certificate = makeCertificate();
try {
  const upstream = await startNginxUpstream(nginx);
  stops.push(upstream.stop);
  const plainNginx = await startNginxProxy(nginx, upstream.url, 1);
  stops.push(plainNginx.stop);
  const tlsNginx = await startNginxTlsProxy(nginx, upstream.url, certificate, 1);
  stops.push(tlsNginx.stop);
  say("Gatehouse: seeding (a route and the certificate) and starting");
  const gatehouse = await startGatehouse(upstream.url, 1, {
    reloads: 0,
    cpuProfDir: null,
    label: "tls",
    workers: 1,
    tlsPort: await freePort(),
    certificate: { cert: readFileSync(certificate.cert, "utf8"), key: readFileSync(certificate.key, "utf8") },
  });
  stops.push(gatehouse.stop);
  const gatehouseTls = gatehouse.tlsUrl as string;

  const cases: Case[] = [];
  const add = (part: Case["part"], label: string, pid: number, run: Case["run"]) =>
    cases.push({ part, label, pid, run, cpuUs: [], rate: [], loadShare: [], errors: 0, note: "" });
  add(1, "nginx HTTP", plainNginx.pid, wrkCase(plainNginx.url));
  add(1, "nginx HTTPS", tlsNginx.pid, wrkCase(tlsNginx.url));
  add(1, "Gatehouse HTTP", gatehouse.pid, wrkCase(gatehouse.url));
  add(1, "Gatehouse HTTPS", gatehouse.pid, wrkCase(gatehouseTls));
  add(2, "nginx HTTP", plainNginx.pid, newConnectionsCase(plainNginx.url));
  add(2, "nginx HTTPS", tlsNginx.pid, newConnectionsCase(tlsNginx.url));
  add(2, "Gatehouse HTTP", gatehouse.pid, newConnectionsCase(gatehouse.url));
  add(2, "Gatehouse HTTPS", gatehouse.pid, newConnectionsCase(gatehouseTls));
  add(3, "nginx HTTP/1.1", tlsNginx.pid, h2loadCase(tlsNginx.url, true));
  add(3, "nginx HTTP/2", tlsNginx.pid, h2loadCase(tlsNginx.url, false));
  add(3, "Gatehouse HTTP/1.1", gatehouse.pid, h2loadCase(gatehouseTls, true));
  add(3, "Gatehouse HTTP/2", gatehouse.pid, h2loadCase(gatehouseTls, false));

  say(`warming up each case for ${warmup} s`);
  for (const c of cases) await c.run(warmup);
  for (let rep = 1; rep <= repetitions; rep++) {
    for (const c of cases) {
      const cpu0 = cpuSeconds(c.pid);
      const sample = await c.run(seconds);
      const cpu = cpuSeconds(c.pid) - cpu0;
      c.cpuUs.push((cpu / sample.count) * 1e6);
      c.rate.push(sample.count / sample.seconds);
      c.loadShare.push(sample.loadCpuSeconds / sample.seconds);
      c.errors += sample.errors;
      c.note ||= sample.note;
      say(
        `${rep}/${repetitions} part ${c.part} ${c.label}: ${Math.round(sample.count / sample.seconds)}/s, ${sample.errors} errors`,
      );
    }
  }

  const versions = toolVersions(wrk, nginx);
  const h2Version = execFileSync(h2load, ["--version"], { encoding: "utf8" }).trim();
  const opensslVersion = execFileSync(openssl, ["version"], { encoding: "utf8" }).trim();
  writeResult("tls", "What HTTPS costs at the gateway", [
    `- wrk ${versions.wrk}, ${h2Version}, nginx ${versions.nginx}, ${opensslVersion} (the certificate), Node's OpenSSL ${process.versions.openssl}, CLK_TCK ${CLOCK_TICKS}`,
    `- one proxy thread each, the load tool on core 1 alone, ${repetitions} × ${seconds} s after ${warmup} s of warm-up, interleaved`,
    "- one ECDSA P-256 certificate for localhost made with openssl, uploaded to Gatehouse through POST /api/v1/certificates and served by nginx; clients send SNI localhost",
    "- negotiated: as the client reports it (wrk reports nothing; it links the same OpenSSL 3.0 as h2load); new-connections.ts offers X25519 only, since Node's OpenSSL would offer X25519MLKEM768 first, which nginx's OpenSSL 3.0 lacks",
    "- load CPU: the load tool's CPU time over the run's length; near 100% the load tool, not the proxy, set the rate",
    ...table(cases, 1, `Keep-alive: wrk -t1 -c${connections}`, "req/s"),
    ...ratios(cases, 1, [
      ["Gatehouse HTTPS", "Gatehouse HTTP"],
      ["nginx HTTPS", "nginx HTTP"],
      ["Gatehouse HTTPS", "nginx HTTPS"],
    ]),
    ...table(
      cases,
      2,
      `A new connection per request: bench/load/new-connections.ts, ${connections} at once, each TLS one a full handshake`,
      "connections/s",
    ),
    ...ratios(cases, 2, [
      ["Gatehouse HTTPS", "Gatehouse HTTP"],
      ["nginx HTTPS", "nginx HTTP"],
      ["Gatehouse HTTPS", "nginx HTTPS"],
    ]),
    ...handshakeCost(cases),
    ...table(
      cases,
      3,
      `HTTP/2 against HTTP/1.1 over TLS: h2load -t1 -n${H2_REQUESTS_PER_SECOND_OPTION * seconds}, ${connections} requests in flight (HTTP/2: ${Math.max(1, Math.round(connections / H2_STREAMS))} connections × ${H2_STREAMS} streams)`,
      "req/s",
    ),
    ...ratios(cases, 3, [
      ["Gatehouse HTTP/2", "Gatehouse HTTP/1.1"],
      ["nginx HTTP/2", "nginx HTTP/1.1"],
      ["Gatehouse HTTP/2", "nginx HTTP/2"],
    ]),
  ]);
} finally {
  await stopAll();
  rmSync(certificate.dir, { recursive: true, force: true });
}

function table(cases: Case[], part: Case["part"], title: string, unit: string): string[] {
  return [
    "",
    `## ${part}. ${title}`,
    "",
    `| target | proxy CPU µs / request (median) | ${unit} (median) | load CPU (median) | errors | negotiated |`,
    "|---|---|---|---|---|---|",
    ...cases
      .filter((c) => c.part === part)
      .map(
        (c) =>
          `| ${c.label} | ${median(c.cpuUs).toFixed(1)} | ${Math.round(median(c.rate))} | ${Math.round(median(c.loadShare) * 100)}% | ${c.errors} | ${c.note || "-"} |`,
      ),
  ];
}

function find(cases: Case[], part: Case["part"], label: string): Case {
  return cases.find((c) => c.part === part && c.label === label) as Case;
}

function ratios(cases: Case[], part: Case["part"], pairs: [string, string][]): string[] {
  return [
    "",
    ...pairs.map(([a, b]) => {
      const x = find(cases, part, a);
      const y = find(cases, part, b);
      const cpu = (median(x.cpuUs) / median(y.cpuUs)).toFixed(2);
      const rate = (median(x.rate) / median(y.rate)).toFixed(2);
      return `- ${a} / ${b}: CPU per request ${cpu}, rate ${rate}`;
    }),
  ];
}

/** A full handshake's CPU: a new TLS connection's less a new TCP connection's. */
function handshakeCost(cases: Case[]): string[] {
  const cost = (who: string) =>
    (median(find(cases, 2, `${who} HTTPS`).cpuUs) - median(find(cases, 2, `${who} HTTP`).cpuUs)).toFixed(1);
  return [
    `- a full TLS handshake's CPU (new HTTPS connection less new HTTP one): Gatehouse ${cost("Gatehouse")} µs, nginx ${cost("nginx")} µs`,
  ];
}
