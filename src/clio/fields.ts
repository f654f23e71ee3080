/**
 * Builds Clio `fields` strings (clio-api.md §2.2). Nesting is one level only, which the types
 * enforce: a nested entry lists plain names.
 *
 *   fields("id", "etag", { matter: ["id", "display_number"] }) → "id,etag,matter{id,display_number}"
 */
export type FieldSpec = string | Record<string, readonly string[]>;

const NAME = /^[a-z_][a-z0-9_]*$/;

export function fields(...specs: FieldSpec[]): string {
  const parts: string[] = [];
  for (const spec of specs) {
    if (typeof spec === "string") {
      parts.push(check(spec));
      continue;
    }
    for (const [name, sub] of Object.entries(spec)) {
      parts.push(sub.length === 0 ? check(name) : `${check(name)}{${sub.map(check).join(",")}}`);
    }
  }
  return parts.join(",");
}

function check(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a Clio field name: ${JSON.stringify(name)}`);
  return name;
}
