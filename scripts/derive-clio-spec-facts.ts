// Writes src/clio/spec/facts.json from Clio's OpenAPI document (default
// ../shared/reference/clio-openapi.json beside the repository, or the path given).
// `npm run spec:clio`; with `--check` it writes nothing and exits 1 when the committed file differs
// from the derivation. The check is not part of `npm test` because the OpenAPI document is not
// part of the repository (it is Clio's, not ours) and a clean clone may not have it beside it.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { deriveClioSpecFacts, renderClioSpecFacts } from "../src/clio/spec/derive.ts";

const args = process.argv.slice(2);
const check = args.includes("--check");
const root = new URL("..", import.meta.url).pathname;
const given = args.find((a) => !a.startsWith("--"));
const source = resolve(given ?? resolve(root, "../shared/reference/clio-openapi.json"));
const target = resolve(root, "src/clio/spec/facts.json");
const facts = deriveClioSpecFacts(JSON.parse(readFileSync(source, "utf8")));
const rendered = renderClioSpecFacts(facts);
if (check) {
  const same = readFileSync(target, "utf8") === rendered;
  process.stdout.write(same ? `${target} matches ${source}\n` : `${target} differs: run npm run spec:clio\n`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(target, rendered);
  process.stdout.write(
    `wrote ${target}: ${Object.keys(facts.operations).length} operations, ` +
      `${Object.keys(facts.resources).length} resources\n`,
  );
}
