/**
 * Derives the Clio spec facts (facts.json) from Clio's published OpenAPI document
 * (reference/clio-openapi.json, clio-api.md [S1]): per operation, the query parameters it declares
 * and the resource it answers with; per resource, its field names and its associations with the
 * resource each one targets, so a nested `fields=a{b,c}` can be checked. Real Clio rejects an
 * unknown field or parameter with 400 (clio-api.md §2.2, §6.1), so the client may only send what
 * is here, and the emulator's strict mode refuses everything else.
 */

export interface ClioOperationFacts {
  /** Query parameters the operation declares, as Clio names them (`ids[]`, `limit`, …). */
  query: string[];
  /** Allowed values of the parameters that declare an enum. */
  enums?: Record<string, string[]>;
  /** The resource in `data` (a list endpoint answers an array of it). */
  resource?: string;
  list?: true;
  /** Set on an operation Clio documents outside the spec: where it is documented. */
  documented?: string;
}

export interface ClioResourceFacts {
  fields: string[];
  /** Association name → the resource it holds. */
  associations: Record<string, string>;
}

export interface ClioSpecFacts {
  spec: { title: string; version: string };
  /** What the facts add to the spec, and where Clio documents it. */
  outsideSpec: string[];
  /** Key: `METHOD /path` without `.json`, path parameters written `{}`. */
  operations: Record<string, ClioOperationFacts>;
  resources: Record<string, ClioResourceFacts>;
}

/**
 * What Clio documents outside the spec, each with where (clio-api.md): offset pagination on list
 * endpoints (§2.3, [S3]: "not listed as a parameter in the spec"), and the webhook activation of
 * the handshake (§5.9, [S17]).
 */
const OUTSIDE_SPEC = [
  "offset on every list operation: clio-api.md §2.3 [S3]",
  "PUT /webhooks/{}/activate: clio-api.md §5.9 [S17]",
];
const DOCUMENTED: Record<string, ClioOperationFacts> = {
  "PUT /webhooks/{}/activate": { query: [], documented: "clio-api.md §5.9 [S17]: webhook activation" },
};

/**
 * custom_field_values' enum lists the operator that prefixes the value (`<=2024-01-01`, §2.4), not
 * the values themselves, so it is no value list.
 */
const NOT_VALUE_ENUMS = new Set(["custom_field_values"]);

type Json = Record<string, unknown>;

export function operationKey(method: string, path: string): string {
  const normal = path
    .replace(/\.json$/, "")
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\/+$/, "");
  return `${method.toUpperCase()} ${normal}`;
}

export function deriveClioSpecFacts(spec: Json): ClioSpecFacts {
  const schemas = ((spec.components as Json).schemas ?? {}) as Record<string, Json>;
  const operations: Record<string, ClioOperationFacts> = {};
  const roots = new Set<string>();
  for (const [path, ops] of Object.entries(spec.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const facts = operationFacts(op, schemas);
      if (facts.resource) roots.add(facts.resource);
      operations[operationKey(method, path)] = facts;
    }
  }
  for (const [key, facts] of Object.entries(DOCUMENTED)) operations[key] = facts;

  const resources: Record<string, ClioResourceFacts> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (resources[name]) continue;
    const facts = resourceFacts(name, schemas);
    resources[name] = facts;
    queue.push(...Object.values(facts.associations));
  }
  const info = spec.info as Json;
  return {
    spec: { title: String(info.title), version: String(info.version) },
    outsideSpec: OUTSIDE_SPEC,
    operations: sortKeys(operations),
    resources: sortKeys(resources),
  };
}

function operationFacts(op: Json, schemas: Record<string, Json>): ClioOperationFacts {
  const query: string[] = [];
  const enums: Record<string, string[]> = {};
  for (const p of (op.parameters ?? []) as Json[]) {
    if (p.in !== "query") continue;
    const name = String(p.name);
    query.push(name);
    const values = (p.schema as Json | undefined)?.enum;
    if (Array.isArray(values) && !NOT_VALUE_ENUMS.has(name)) enums[name] = values.map(String);
  }
  const out: ClioOperationFacts = { query };
  const data = responseData(op, schemas);
  if (data) {
    out.resource = data.resource;
    if (data.list) {
      out.list = true;
      query.push("offset");
    }
  }
  query.sort();
  if (Object.keys(enums).length > 0) out.enums = sortKeys(enums);
  return out;
}

/** The resource of the first 2xx response: `X_Show` {data: X}, `X_List` {data: [X]}, or X itself. */
function responseData(
  op: Json,
  schemas: Record<string, Json>,
): { resource: string; list: boolean } | undefined {
  const responses = (op.responses ?? {}) as Record<string, Json>;
  const ok = Object.keys(responses).find((code) => code.startsWith("2"));
  const content = ok ? (responses[ok]!.content as Record<string, Json> | undefined) : undefined;
  const schema = content ? (Object.values(content)[0]?.schema as Json | undefined) : undefined;
  const envelope = refName(schema);
  if (!envelope) return undefined;
  const data = ((schemas[envelope]?.properties as Json | undefined)?.data ?? undefined) as Json | undefined;
  if (!data) return { resource: resourceName(envelope), list: false };
  if (data.type === "array") return { resource: resourceName(refName(data.items as Json)!), list: true };
  return { resource: resourceName(refName(data)!), list: false };
}

/**
 * A resource's fields are its `X_base` properties; its associations are the properties the full
 * schema `X` adds (allOf [X_base, {associations}]), each a `$ref` (or an array of one) to the
 * target. A target with only an `X_base` has fields and no associations.
 */
function resourceFacts(name: string, schemas: Record<string, Json>): ClioResourceFacts {
  const base = schemas[`${name}_base`] ?? schemas[name] ?? {};
  const fields = Object.keys((base.properties ?? {}) as Json).sort();
  const associations: Record<string, string> = {};
  const full = schemas[name];
  for (const part of (full?.allOf ?? []) as Json[]) {
    for (const [assoc, prop] of Object.entries((part.properties ?? {}) as Record<string, Json>)) {
      const target = refName(prop) ?? refName(prop.items as Json | undefined);
      if (target) associations[assoc] = resourceName(target);
    }
  }
  return { fields, associations: sortKeys(associations) };
}

function refName(schema: Json | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === "string" ? ref.slice(ref.lastIndexOf("/") + 1) : undefined;
}

function resourceName(schema: string): string {
  return schema.replace(/_(base|Show|List)$/, "");
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * facts.json's text: one line per operation and per resource, so a diff shows what changed and
 * the file stays small. (Biome leaves the file alone; the drift test compares this exact text.)
 */
export function renderClioSpecFacts(facts: ClioSpecFacts): string {
  const block = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(",\n");
  return [
    "{",
    `  "spec": ${JSON.stringify(facts.spec)},`,
    `  "outsideSpec": ${JSON.stringify(facts.outsideSpec)},`,
    `  "operations": {\n${block(facts.operations)}\n  },`,
    `  "resources": {\n${block(facts.resources)}\n  }`,
    "}",
    "",
  ].join("\n");
}
