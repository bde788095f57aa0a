import { type Child, startChild } from "./processes.ts";

/** `bare-proxy.ts` as a child process with `threads` proxy threads, once it listens. */
export async function startBareProxy(
  upstreamUrl: string,
  threads: number,
): Promise<{ url: string; pid: number; child: Child }> {
  const child = startChild(process.execPath, [
    `${import.meta.dirname}/bare-proxy.ts`,
    upstreamUrl,
    "0",
    String(threads),
  ]);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.process.stdout?.on("data", () => {
        const m = /listening (\S+)/.exec(child.output());
        if (m) resolve(m[1] as string);
      });
      child.process.once("exit", (code) => reject(new Error(`bare-proxy exited with ${code}:\n${child.output()}`)));
    });
    return { url, pid: child.pid, child };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
