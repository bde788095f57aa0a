/** The query to send upstream (`?…` or ""), from the chain's, without the parameters a policy took a credential from. */
export function upstreamQuery(query: string, strip: readonly string[]): string {
  if (query === "") return "";
  if (strip.length === 0) return `?${query}`;
  const params = new URLSearchParams(query);
  for (const name of strip) params.delete(name);
  const rest = params.toString();
  return rest === "" ? "" : `?${rest}`;
}
