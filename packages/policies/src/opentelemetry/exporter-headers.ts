/** `Name: value`, the name an HTTP token. */
export const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/;

/** The exporter's headers from the config's lines (already validated). */
export function exporterHeaders(lines: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of lines.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}
