import { ApiError } from "@/lib/api-client.ts";
import { Banner } from "../ui/banner.tsx";
import { fieldLine } from "./field-line.ts";

/**
 * A refused file: the server's message, then each field it named with its path and, given the
 * text the user sent, the line it is on.
 */
export function FileErrors({ title, error, text = "" }: { title: string; error: Error; text?: string }) {
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <Banner title={title}>
      {error.message}
      {fields.length > 0 ? (
        <ul className="field-errors">
          {fields.map((field) => {
            const line = field.path && text ? fieldLine(text, field.path) : null;
            return (
              <li key={`${field.path}:${field.message}`}>
                {field.path ? <code>{field.path}</code> : null}
                {line === null ? null : <span className="muted"> (line {line})</span>}
                {field.path ? ": " : null}
                {field.message}
              </li>
            );
          })}
        </ul>
      ) : null}
    </Banner>
  );
}
