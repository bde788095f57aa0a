/** Whether a request's headers announce a body: chunked, or a Content-Length other than 0 (RFC 9112 §6.3). */
export function declaresBody(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return headers["transfer-encoding"] !== undefined || (headers["content-length"] ?? "0") !== "0";
}
