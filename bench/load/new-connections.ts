/**
 * A new connection per request: `connections` loops each connect, send one GET with
 * `Connection: close`, read the answer to its end, and connect again, for `seconds`. Over
 * https:// every connection is a full TLS handshake: no session is offered (wrk and h2load
 * resume the previous session on reconnect, so they measure resumptions), and a resumed
 * one would be counted apart. Prints one JSON line: the counts and this process's CPU.
 *
 *   node bench/load/new-connections.ts URL PATH CONNECTIONS SECONDS
 */
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls, createSecureContext, type TLSSocket } from "node:tls";

const [url = "", requestPath = "/", connections = "50", seconds = "4"] = process.argv.slice(2);
const target = new URL(url);
const tls = target.protocol === "https:";
const port = Number(target.port);
// One context for every connection: making one per connect costs more than the handshake.
// X25519 alone: Node's OpenSSL 3.5 would offer X25519MLKEM768 first, which nginx on OpenSSL
// 3.0 lacks, and the two would then be timed on different key exchanges.
const secureContext = createSecureContext({ ecdhCurve: "X25519" });
const request = `GET ${requestPath} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`;

export interface NewConnectionsResult {
  /** Requests answered 2xx, each on its own connection. */
  ok: number;
  errors: number;
  /** TLS sessions the server resumed; 0 means every handshake was a full one. */
  resumed: number;
  /** The negotiated protocol, key exchange group and certificate curve, from the first handshake. */
  tls: { protocol: string | null; cipher: string; group: string; certificate: string } | null;
  seconds: number;
  cpuSeconds: number;
}

const result: NewConnectionsResult = { ok: 0, errors: 0, resumed: 0, tls: null, seconds: 0, cpuSeconds: 0 };

function open(): Socket {
  if (!tls) return connectTcp(port, target.hostname);
  // The servername is sent as SNI; the bench's certificates are self-signed, hence no verification.
  const socket = connectTls({
    port,
    host: target.hostname,
    servername: target.hostname,
    rejectUnauthorized: false,
    secureContext,
    ALPNProtocols: ["http/1.1"],
  });
  socket.once("secureConnect", () => noteHandshake(socket));
  return socket;
}

function noteHandshake(socket: TLSSocket): void {
  if (socket.isSessionReused()) result.resumed++;
  if (result.tls) return;
  const key = socket.getEphemeralKeyInfo() as { name?: string; type?: string };
  const cert = socket.getPeerCertificate() as { nistCurve?: string; bits?: number; subject?: { CN?: string } };
  result.tls = {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().name,
    group: key.name ?? key.type ?? "unknown",
    certificate: `${cert.nistCurve ? `ECDSA ${cert.nistCurve}` : `RSA ${cert.bits}`} CN=${cert.subject?.CN}`,
  };
}

/** One request on one new connection; resolves whatever happened. */
function once(): Promise<void> {
  return new Promise((resolve) => {
    const socket = open();
    let head = "";
    socket.setEncoding("latin1");
    // A proxy that stops answering ends the run as errors, not as a hang.
    socket.setTimeout(10_000, () => socket.destroy());
    socket.once(tls ? "secureConnect" : "connect", () => socket.write(request));
    socket.on("data", (chunk: string) => {
      if (head.length < 12) head += chunk;
    });
    socket.once("error", () => {});
    socket.once("close", () => {
      if (/^HTTP\/1\.1 2/.test(head)) result.ok++;
      else result.errors++;
      resolve();
    });
  });
}

const deadline = performance.now() + Number(seconds) * 1000;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Number(connections) }, async () => {
    while (performance.now() < deadline) await once();
  }),
);
result.seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify(result));
