export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootstrapConsole } = await import("./server/bootstrap.ts");
    bootstrapConsole();
  }
}
