import "server-only";

/** Settings the browser may see, read from the environment at request time. */
export function publicConfig() {
  const gatewayUrl =
    process.env.GATEHOUSE_PUBLIC_GATEWAY_URL ??
    process.env.NEXT_PUBLIC_GATEHOUSE_GATEWAY_URL ??
    "http://localhost:8080";
  return { gatewayUrl: gatewayUrl.replace(/\/+$/, "") };
}

export type PublicConfig = ReturnType<typeof publicConfig>;
