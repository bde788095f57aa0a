import type { FieldError } from "@gatehouse/shared";
import { ApiError } from "@/lib/api-client.ts";
import { Banner } from "../ui/banner.tsx";

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The server's refusal of a form: its message, plus any field errors the form has no field for. */
export function FormErrorBanner({ title, error, unplaced }: { title: string; error: Error; unplaced: FieldError[] }) {
  const placed = error instanceof ApiError && error.fields.length > unplaced.length;
  return (
    <Banner title={title}>
      {sentence(error.message)}
      {placed && unplaced.length === 0 ? " Check the highlighted fields." : null}
      {unplaced.length > 0 ? (
        <ul>
          {unplaced.map((f) => (
            <li key={f.path}>
              <code>{f.path || "(form)"}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Banner>
  );
}
