import facts from "../../clio/spec/facts.json" with { type: "json" };
import { type FieldRequest, FieldsError, parseFields } from "./fields.ts";
import { ApiFailure } from "./http.ts";

/**
 * Strict mode (config `strictSpec`, on by default): the emulator accepts only what Clio's
 * published spec declares — the operation, each query parameter, each `fields` name and nested
 * name — and answers anything else as real Clio does, 400 naming it (clio-api.md §2.2, §4.1). The
 * facts come from src/clio/spec/facts.json, data derived from the spec; the checking here is the
 * emulator's own, so it and the client's conformance test check each other.
 */
interface OperationFacts {
  query: string[];
  resource?: string;
}
interface ResourceFacts {
  fields: string[];
  associations: Record<string, string>;
}
const OPERATIONS = facts.operations as Record<string, OperationFacts>;
const RESOURCES = facts.resources as Record<string, ResourceFacts>;

/** Templates by method and number of segments, literal segments first (`/users/who_am_i`). */
const TEMPLATES = new Map<string, Array<{ key: string; parts: string[] }>>();
for (const key of Object.keys(OPERATIONS)) {
  const [method, path] = key.split(" ") as [string, string];
  const parts = path.split("/").filter(Boolean);
  const group = `${method} ${parts.length}`;
  TEMPLATES.set(group, [...(TEMPLATES.get(group) ?? []), { key, parts }]);
}
for (const list of TEMPLATES.values())
  list.sort((a, b) => a.parts.filter((p) => p === "{}").length - b.parts.filter((p) => p === "{}").length);

/** The spec's operation for a request to `/api/v4/...` (with or without `.json`). */
export function specOperation(
  method: string,
  pathname: string,
): { key: string; facts: OperationFacts } | undefined {
  const parts = pathname
    .replace(/^\/api\/v4/, "")
    .replace(/\.json$/, "")
    .split("/")
    .filter(Boolean);
  const found = TEMPLATES.get(`${method} ${parts.length}`)?.find((t) =>
    t.parts.every((p, i) => p === "{}" || p === parts[i]),
  );
  return found ? { key: found.key, facts: OPERATIONS[found.key]! } : undefined;
}

/** Throws the ApiFailure real Clio would answer, or returns when the spec declares every name. */
export function checkAgainstSpec(method: string, url: URL): void {
  const op = specOperation(method, url.pathname);
  if (!op) throw new ApiFailure(404, "RecordNotFound", "No route matches this path");
  for (const name of new Set(url.searchParams.keys())) {
    const base = /^([a-z_]+)\[[^\]]+\]$/.exec(name)?.[1];
    if (!op.facts.query.includes(name) && !(base && op.facts.query.includes(base)))
      throw new ApiFailure(400, "InvalidParameter", `${name} is not a valid parameter`);
  }
  const text = url.searchParams.get("fields");
  if (text === null) return;
  const resource = op.facts.resource;
  if (!resource) throw new ApiFailure(400, "InvalidParameter", "fields is not a valid parameter");
  try {
    checkFields(resource, parseFields(text));
  } catch (e) {
    if (e instanceof FieldsError) throw new ApiFailure(400, "InvalidFields", e.message);
    throw e;
  }
}

function checkFields(resource: string, fields: FieldRequest[]): void {
  const known = (r: ResourceFacts | undefined, name: string) =>
    r !== undefined && (r.fields.includes(name) || name in r.associations);
  const facts = RESOURCES[resource];
  for (const f of fields) {
    if (!known(facts, f.name)) throw new FieldsError(`${f.name} is not a valid field`);
    if (!f.sub) continue;
    const target = facts?.associations[f.name];
    if (!target) throw new FieldsError(`${f.name} is not a valid field`);
    for (const s of f.sub)
      if (!known(RESOURCES[target], s.name)) throw new FieldsError(`${s.name} is not a valid field`);
  }
}
