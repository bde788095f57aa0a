import { isNode, type Node, parseDocument } from "yaml";

/** A field path's segments as the YAML document addresses them: numbers index sequences. */
const segments = (path: string) =>
  path === "" ? [] : path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * The line of a pasted config file that a field error's path (`apis.3.routes.0.paths.0`) points
 * at, or of the nearest enclosing field when the path names one the file leaves out. Null when
 * the text does not parse (the server's message then says where it stopped) or holds no such place.
 */
export function fieldLine(text: string, path: string): number | null {
  const document = parseDocument(text, { keepSourceTokens: false });
  if (document.errors.length > 0) return null;
  const keys = segments(path);
  for (let length = keys.length; length > 0; length--) {
    const node: unknown = document.getIn(keys.slice(0, length), true);
    if (isNode(node) && (node as Node).range) return lineAt(text, (node as Node).range?.[0] ?? 0);
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
