import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, it } from "node:test";

/**
 * Planners are pure (issue 10): a planner module — and everything it imports for its values,
 * transitively — reads and writes nothing. Type-only imports are erased and allowed; a value
 * import from the providers' clients, the store, the HTTP layer, the app or the emulators, any
 * Node module but `node:crypto` (hashing for request ids), or an `await`, fails this test.
 */
const src = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const plannersDir = resolve(src, "engine/planners");
const FORBIDDEN_DIRS = ["qbo", "clio", "store", "http", "app", "emulators", "cli"].map(
  (d) => `${resolve(src, d)}/`,
);
const ALLOWED_NODE = new Set(["node:crypto"]);

function valueImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)";/gms)) {
    const [, typeOnly, names, spec] = m;
    const allTypes =
      /^\{[^}]*\}$/s.test(names!.trim()) &&
      names!
        .replace(/[{}\s]/g, "")
        .split(",")
        .every((n) => n === "" || n.startsWith("type"));
    if (!typeOnly && !allTypes) out.push(spec!);
  }
  return out;
}

function impurities(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    if (/\bawait\b/.test(text)) problems.push(`${relative(src, file)} awaits (IO)`);
    for (const spec of valueImports(file)) {
      if (spec.startsWith("node:") || !spec.startsWith(".")) {
        if (!ALLOWED_NODE.has(spec)) problems.push(`${relative(src, file)} imports ${spec}`);
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (FORBIDDEN_DIRS.some((d) => target.startsWith(d)))
        problems.push(`${relative(src, file)} imports ${relative(src, target)}`);
      else visit(target);
    }
  };
  visit(entry);
  return problems;
}

describe("planners are pure", () => {
  const planners = readdirSync(plannersDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("there are planners to check", () => assert.ok(planners.length > 0));

  for (const planner of planners) {
    it(`${planner} imports no client, store, HTTP or other IO, and awaits nothing`, () => {
      assert.deepEqual(impurities(resolve(plannersDir, planner)), []);
    });
  }

  it("the check catches a planner that reaches the store or a client", () => {
    const probe = resolve(src, "engine/plan-customers.ts"); // the IO shell around the customer planner
    const found = impurities(probe);
    assert.ok(found.some((p) => p.includes("awaits")));
    assert.ok(
      found.some((p) => /imports (qbo|store|clio)\//.test(p)),
      found.join("; "),
    );
  });
});
