import { connect as connectH2 } from "node:http2";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { connect, type PeerCertificate } from "node:tls";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A port free now, for a server that must be told its port (the gateway's TLS port in a test). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One TLS handshake with `servername`: the certificate served and the protocol ALPN chose. */
export function handshake(
  url: string,
  servername: string,
  extra: { maxVersion?: "TLSv1.1"; ALPNProtocols?: string[] } = {},
): Promise<{ cert: PeerCertificate; alpn: string | false }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: hostname, port: Number(port), servername, rejectUnauthorized: false, ...extra },
      () => {
        const answer = { cert: socket.getPeerCertificate(), alpn: socket.alpnProtocol ?? false };
        socket.end();
        resolve(answer);
      },
    );
    socket.once("error", reject);
  });
}

/** An HTTP/1.1 request over TLS, the server's certificate not checked (the tests' are self-signed). */
export function getHttps(url: string, headers: Record<string, string> = {}, servername = "localhost"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { headers, servername, rejectUnauthorized: false, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode as number, headers: res.headers, body }));
    });
    req.once("error", reject);
    req.end();
  });
}

/** An HTTP/2 request on a connection of its own. */
export function getH2(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { origin, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const session = connectH2(origin, { rejectUnauthorized: false, servername: "localhost" });
    session.once("error", reject);
    const stream = session.request({ ":method": "GET", ":path": `${pathname}${search}`, ...headers });
    let status = 0;
    let answerHeaders: Answer["headers"] = {};
    let body = "";
    stream.setEncoding("utf8");
    stream.on("response", (received) => {
      status = Number(received[":status"]);
      answerHeaders = received;
    });
    stream.on("data", (chunk: string) => {
      body += chunk;
    });
    stream.once("error", reject);
    stream.on("end", () => {
      session.close();
      resolve({ status, headers: answerHeaders, body });
    });
  });
}
