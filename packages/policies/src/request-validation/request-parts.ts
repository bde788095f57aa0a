/**
 * Query parameters as an object to validate: a parameter given once is a string, a repeated
 * one an array of its values (the schema's coercion turns one value into an array where it
 * says array). A prototype-less object, so a parameter named `__proto__` is just a name.
 */
export function queryObject(query: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = values[name];
    if (seen === undefined) values[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else values[name] = [seen, value];
  }
  return values;
}

/** A fresh copy to validate, so coercion never touches what the gateway forwards. */
export function textObject(
  source: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = Object.create(null);
  for (const name in source) {
    const value = source[name];
    if (value !== undefined) values[name] = Array.isArray(value) ? [...value] : value;
  }
  return values;
}
