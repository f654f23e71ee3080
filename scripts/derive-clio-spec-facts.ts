// Writes src/clio/spec/facts.json from Clio's OpenAPI document (default
// ../shared/reference/clio-openapi.json beside the repository, or the path given).
// `npm run spec:clio`; a test fails when the committed file and the derivation differ.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { deriveClioSpecFacts, renderClioSpecFacts } from "../src/clio/spec/derive.ts";

const root = new URL("..", import.meta.url).pathname;
const source = resolve(process.argv[2] ?? resolve(root, "../shared/reference/clio-openapi.json"));
const target = resolve(root, "src/clio/spec/facts.json");
const facts = deriveClioSpecFacts(JSON.parse(readFileSync(source, "utf8")));
writeFileSync(target, renderClioSpecFacts(facts));
process.stdout.write(
  `wrote ${target}: ${Object.keys(facts.operations).length} operations, ` +
    `${Object.keys(facts.resources).length} resources\n`,
);
