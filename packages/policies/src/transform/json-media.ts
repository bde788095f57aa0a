/** `application/json`, `application/problem+json`: a media type whose body JSON.parse can read. */
export function isJsonMediaType(contentType: string | string[] | undefined): boolean {
  if (typeof contentType !== "string") return false;
  const semicolon = contentType.indexOf(";");
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** A body sent as it is: gzip or br bytes are not JSON until decoded, which the gateway does not do. */
export const isUnencoded = (contentEncoding: string | string[] | undefined) =>
  contentEncoding === undefined || contentEncoding === "" || contentEncoding === "identity";
