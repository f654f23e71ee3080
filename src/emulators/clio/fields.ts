import type { ClioState } from "./state.ts";

/**
 * The `fields` query parameter (clio-api.md §2.2): a comma list, one level of braces, default
 * `id,etag`; an unknown name or a second level of braces rejects the whole request (400).
 */
export interface FieldRequest {
  name: string;
  /** Sub-fields inside braces; undefined when the association was named bare. */
  sub?: FieldRequest[];
}

export interface Ctx {
  state: ClioState;
  apiVersion: string;
}

export type FieldDef<R> =
  | { kind: "scalar"; get: (rec: R, ctx: Ctx) => unknown }
  | { kind: "assoc"; target: string; get: (rec: R, ctx: Ctx) => unknown };

export interface ResourceSpec<R = never> {
  name: string;
  fields: Record<string, FieldDef<R>>;
  /** Fields returned when the resource is named bare; default id and etag. */
  defaults?: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of heterogeneous specs
const registry = new Map<string, ResourceSpec<any>>();

export function defineResource<R>(spec: ResourceSpec<R>): ResourceSpec<R> {
  registry.set(spec.name, spec);
  return spec;
}

/** Every resource the emulator models and its field names (for the spec conformance test). */
export function modelledResources(): Array<{ name: string; fields: string[] }> {
  return [...registry.values()].map((spec) => ({ name: spec.name, fields: Object.keys(spec.fields) }));
}

export const scalar = <R>(get: (rec: R, ctx: Ctx) => unknown): FieldDef<R> => ({ kind: "scalar", get });
export const assoc = <R>(target: string, get: (rec: R, ctx: Ctx) => unknown): FieldDef<R> => ({
  kind: "assoc",
  target,
  get,
});

export class FieldsError extends Error {}

export const DEFAULT_FIELDS: FieldRequest[] = [{ name: "id" }, { name: "etag" }];

export function parseFields(text: string | undefined | null): FieldRequest[] {
  if (text === undefined || text === null || text.trim() === "") return DEFAULT_FIELDS;
  return parseList(text, 0);
}

function parseList(text: string, depth: number): FieldRequest[] {
  const out: FieldRequest[] = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] !== "," && text[j] !== "{") j++;
    const name = text.slice(i, j).trim();
    if (text[j] === "{") {
      if (depth >= 1) throw new FieldsError(`Nested fields deeper than one level are not allowed (${name})`);
      const close = matchingBrace(text, j);
      if (close < 0) throw new FieldsError("Unbalanced braces in fields");
      out.push({ name, sub: parseList(text.slice(j + 1, close), depth + 1) });
      j = close + 1;
      while (j < text.length && text[j] !== ",") {
        if (text[j]?.trim()) throw new FieldsError("Malformed fields parameter");
        j++;
      }
    } else if (name) out.push({ name });
    if (text[j] === "}") throw new FieldsError("Unbalanced braces in fields");
    i = j + 1;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === "{") depth++;
    else if (text[k] === "}" && --depth === 0) return k;
  }
  return -1;
}

/** Throws FieldsError naming the first unknown field. */
export function validateFields(resource: string, fields: FieldRequest[]): void {
  const spec = registry.get(resource);
  if (!spec) throw new Error(`unknown resource ${resource}`);
  for (const f of fields) {
    const def = spec.fields[f.name];
    if (!def) throw new FieldsError(`${f.name} is not a valid field`);
    if (f.sub) {
      if (def.kind !== "assoc") throw new FieldsError(`${f.name} is not a valid field`);
      const target = registry.get(def.target);
      for (const s of f.sub) {
        if (!target?.fields[s.name]) throw new FieldsError(`${s.name} is not a valid field`);
      }
    }
  }
}

export function project(
  resource: string,
  rec: unknown,
  fields: FieldRequest[],
  ctx: Ctx,
): Record<string, unknown> {
  const spec = registry.get(resource)!;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const def = spec.fields[f.name];
    if (!def) {
      out[f.name] = null; // declared by Clio's spec, not modelled here (strict mode)
      continue;
    }
    const value = def.get(rec as never, ctx);
    if (def.kind === "scalar") {
      out[f.name] = value;
      continue;
    }
    const sub = f.sub ?? defaultsOf(def.target);
    const one = (v: unknown) =>
      v === null || v === undefined ? null : projectNested(def.target, v, sub, ctx);
    out[f.name] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return out;
}

/** Inside braces, associations named bare give their own default fields. */
function projectNested(
  resource: string,
  rec: unknown,
  fields: FieldRequest[],
  ctx: Ctx,
): Record<string, unknown> {
  const spec = registry.get(resource)!;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const def = spec.fields[f.name];
    if (!def) {
      out[f.name] = null;
      continue;
    }
    const value = def.get(rec as never, ctx);
    if (def.kind === "scalar") out[f.name] = value;
    else {
      const one = (v: unknown) =>
        v === null || v === undefined ? null : projectNested(def.target, v, defaultsOf(def.target), ctx);
      out[f.name] = Array.isArray(value) ? value.map(one) : one(value);
    }
  }
  return out;
}

/** Which top-level field names a request selects (for webhook watched-field comparison). */
export function fieldNames(fields: FieldRequest[]): string[] {
  return fields.map((f) => f.name);
}

function defaultsOf(resource: string): FieldRequest[] {
  const spec = registry.get(resource)!;
  return (spec.defaults ?? ["id", "etag"]).filter((n) => spec.fields[n]).map((name) => ({ name }));
}
