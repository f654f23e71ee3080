// Writes docs/errors.md from the error catalogue (src/core/error-catalogue). `npm run docs:errors`.
import { writeFileSync } from "node:fs";
import { renderErrorCatalogue } from "../src/core/error-catalogue/render.ts";

const target = new URL("../docs/errors.md", import.meta.url);
writeFileSync(target, renderErrorCatalogue());
process.stdout.write(`wrote ${target.pathname}\n`);
