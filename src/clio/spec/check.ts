import type { ClioOperationFacts, ClioSpecFacts } from "./derive.ts";
import facts from "./facts.json" with { type: "json" };

/**
 * Checks a Clio request URL against the spec facts: the operation exists, every query parameter
 * is declared, enum parameters hold a declared value, and every `fields` name (nested ones too)
 * belongs to the resource the operation answers with. Real Clio answers 400 to the first unknown
 * name (clio-api.md §2.2), so the client must build nothing this rejects.
 */
export const CLIO_SPEC_FACTS = facts as ClioSpecFacts;

export interface ClioOperationMatch {
  key: string;
  facts: ClioOperationFacts;
}

/** The operation of a method and path (`/api/v4/contacts/7.json` or `contacts/7`). */
export function findClioOperation(
  method: string,
  path: string,
  spec: ClioSpecFacts = CLIO_SPEC_FACTS,
): ClioOperationMatch | undefined {
  const segments = path
    .replace(/^.*\/api\/v4(?=\/)/, "")
    .replace(/\.json$/, "")
    .split("/")
    .filter((s) => s !== "");
  let best: { key: string; params: number } | undefined;
  for (const key of Object.keys(spec.operations)) {
    const [m, template] = key.split(" ") as [string, string];
    if (m !== method.toUpperCase()) continue;
    const parts = template.split("/").filter((s) => s !== "");
    if (parts.length !== segments.length) continue;
    if (!parts.every((p, i) => p === "{}" || p === segments[i])) continue;
    // A literal segment beats a parameter: /users/who_am_i is not /users/{id}.
    const params = parts.filter((p) => p === "{}").length;
    if (!best || params < best.params) best = { key, params };
  }
  return best ? { key: best.key, facts: spec.operations[best.key]! } : undefined;
}

/** The problems of one request; empty when real Clio would accept its names. */
export function checkClioRequest(method: string, url: string, spec = CLIO_SPEC_FACTS): string[] {
  const parsed = new URL(url, "https://app.clio.com");
  const op = findClioOperation(method, parsed.pathname, spec);
  if (!op) return [`${method} ${parsed.pathname} is not a Clio operation`];
  const problems: string[] = [];
  for (const [name, value] of parsed.searchParams) {
    if (!declares(op.facts, name)) problems.push(`${op.key}: ${name} is not a declared parameter`);
    const allowed = op.facts.enums?.[name];
    if (allowed && !allowed.includes(value))
      problems.push(`${op.key}: ${name}=${value} is not one of ${allowed.join(", ")}`);
  }
  const fields = parsed.searchParams.get("fields");
  if (fields !== null) {
    if (!op.facts.resource) problems.push(`${op.key}: answers no resource to select fields of`);
    else problems.push(...checkFields(op.facts.resource, fields, spec).map((p) => `${op.key}: ${p}`));
  }
  return problems;
}

/**
 * A declared name, or `name[…]` of a declared `name` (`custom_field_values[12]=…`, §2.4). `ids[]`
 * is declared with its brackets, so a bare `ids` is not.
 */
function declares(op: ClioOperationFacts, name: string): boolean {
  if (op.query.includes(name)) return true;
  const bracket = /^([a-z_]+)\[[^\]]+\]$/.exec(name);
  return bracket !== null && op.query.includes(bracket[1]!);
}

/** `fields` names against a resource: one level of braces, and only on an association (§2.2). */
export function checkFields(resource: string, text: string, spec = CLIO_SPEC_FACTS): string[] {
  const problems: string[] = [];
  const known = (r: string, name: string) => {
    const facts = spec.resources[r];
    return facts !== undefined && (facts.fields.includes(name) || name in facts.associations);
  };
  for (const item of splitTop(text)) {
    const m = /^([a-z0-9_]+)(?:\{(.*)\})?$/.exec(item);
    if (!m) {
      problems.push(`${JSON.stringify(item)} is not a field selection`);
      continue;
    }
    const [, name, nested] = m as unknown as [string, string, string | undefined];
    if (!known(resource, name)) {
      problems.push(`${resource}.${name} is not a valid field`);
      continue;
    }
    if (nested === undefined) continue;
    const target = spec.resources[resource]?.associations[name];
    if (!target) {
      problems.push(`${resource}.${name} is not an association, so it takes no braces`);
      continue;
    }
    for (const sub of nested.split(",")) {
      if (!/^[a-z0-9_]+$/.test(sub)) problems.push(`${resource}.${name}{${sub}}: one level of braces only`);
      else if (!known(target, sub))
        problems.push(`${target}.${sub} (in ${resource}.${name}) is not a valid field`);
    }
  }
  return problems;
}

/** Splits on the commas outside braces. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
    else if (text[i] === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((s) => s !== "");
}
