import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "upstream-child.ts");

/** An upstream in its own process (upstream-child.ts) that can be killed and restarted on its port. */
export class UpstreamProcess {
  readonly name: string;
  readonly #log: boolean;
  port = 0;
  /** `METHOD path` of every request seen (with `log`), across restarts. */
  readonly requests: string[] = [];
  #child: ChildProcess | null = null;

  private constructor(name: string, log: boolean) {
    this.name = name;
    this.#log = log;
  }

  static async start(name: string, options: { log?: boolean } = {}): Promise<UpstreamProcess> {
    const upstream = new UpstreamProcess(name, options.log ?? true);
    await upstream.restart();
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts the process again, on the same port once it has one. */
  async restart(): Promise<void> {
    if (this.#child) throw new Error(`${this.name} is already running`);
    const args = [ENTRY, String(this.port), this.name, ...(this.#log ? ["--log"] : [])];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    this.#child = child;
    let buffered = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start`)), 10_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before listening`));
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline = buffered.indexOf("\n");
        while (newline !== -1) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.startsWith("request ")) this.requests.push(line.slice(8));
          else if (line.startsWith("listening ")) {
            this.port = Number(line.slice(10));
            clearTimeout(timer);
            resolve();
          }
          newline = buffered.indexOf("\n");
        }
      });
    });
  }

  /** SIGKILL: no goodbye to open connections, like a crashed instance. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}
