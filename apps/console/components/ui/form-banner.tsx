import type { SchemaForm } from "@/lib/use-schema-form.ts";
import { Banner } from "./banner.tsx";

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * A form's refusal: the server's message, a pointer to the fields that show theirs, and every
 * field message no field of the form could show.
 */
export function FormBanner({ title, form }: { title: string; form: SchemaForm }) {
  if (!form.serverError) return null;
  const unplaced = form.unplaced();
  return (
    <Banner title={title}>
      {sentence(form.serverError.message)}
      {form.placed ? " Check the highlighted fields." : null}
      {unplaced.length > 0 ? (
        <ul>
          {unplaced.map((f) => (
            <li key={f.path}>
              {f.path ? <code>{f.path}</code> : null}
              {f.path ? ": " : null}
              {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Banner>
  );
}
