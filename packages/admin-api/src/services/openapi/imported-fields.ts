import { fieldErrors, targetUrlSchema } from "@gatehouse/shared";
import { z } from "zod";
import { invalidDocument } from "./openapi-document.ts";

/** What importing reads beyond what attaching does; the rest of the document is left alone. */
const importedFieldsSchema = z.looseObject({
  info: z.looseObject({ title: z.string().optional() }).optional(),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
  tags: z.array(z.looseObject({ name: z.string() })).optional(),
});
export type ImportedFields = z.infer<typeof importedFieldsSchema>;

export function readImportedFields(document: object): ImportedFields {
  const result = importedFieldsSchema.safeParse(document);
  if (!result.success) {
    throw invalidDocument(fieldErrors(result.error).map((e) => ({ ...e, path: `document.${e.path}` })));
  }
  return result.data;
}

// tagsSchema's limit; the API built is checked against it too.
export const MAX_TAGS = 20;

/** A title such as "Pet Store (v2)" as an API name: "Pet Store v2"; empty when nothing of it is usable. */
export const nameFromTitle = (title: string) =>
  title
    .replace(/[^A-Za-z0-9 ._-]+/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100)
    .trim();

/** The document's tags as API tags: single words, at most 50 characters, the first 20 distinct ones. */
export function tagsFrom(fields: ImportedFields): string[] {
  const words = (fields.tags ?? []).map((tag) =>
    tag.name
      .trim()
      .replace(/[^a-z0-9:._-]+/gi, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50),
  );
  return [...new Set(words.filter((word) => word !== ""))].slice(0, MAX_TAGS);
}

const choosePool = (why: string) => invalidDocument([{ path: "document.servers", message: `${why}: choose a pool` }]);

/**
 * The first server's URL as a pool's target. Its path stays in the URL, so the gateway forwards
 * /pets/1 to <server>/pets/1 as the document means it.
 */
export function serverTargetUrl(fields: ImportedFields): string {
  const url = fields.servers?.[0]?.url.trim();
  if (url === undefined || url === "") throw choosePool("The document names no server");
  if (url.includes("{")) throw choosePool(`The server URL ${url} is templated`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw choosePool(`The server URL ${url} is relative`);
  const checked = targetUrlSchema.safeParse(url.replace(/\/+$/, ""));
  if (!checked.success) {
    throw invalidDocument([
      { path: "document.servers.0.url", message: checked.error.issues[0]?.message ?? "Not a usable URL" },
    ]);
  }
  return checked.data;
}
