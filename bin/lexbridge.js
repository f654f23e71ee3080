#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// --max-semi-space-size=8: V8's young generation grows to about 130 MB (Node 24's default) under the sync's
// steady allocation, a large part of a large firm's peak RSS; 8 MB semi-spaces keep it small.
// --heap-growing-percent=50: the next full GC comes when the old generation is 1.5 times what the
// last one kept, not up to 4 times (V8's default on a machine with memory to spare); the sync's
// live set is 25-60 MB from the large firm to the xlarge one, but its promoted garbage grew the
// heap to 200 MB before V8 collected it. No cap: the heap still grows with what is live
// (docs/operations.md, Memory).
// Node reads these flags only at startup, and NODE_OPTIONS refuses the second, hence here.
// The project runs TypeScript directly on Node 24 (type stripping); `npm ci` installs Node 24
// as a dependency and npm puts it first on PATH for scripts and `npx lexbridge`.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `lexbridge needs Node.js 24 (this is ${process.version}). Run it through npm (npx lexbridge, npm run demo), ` +
      "which uses the Node 24 that `npm ci` installed, or install Node 24.\n",
  );
  process.exit(1);
}
const { main } = await import("../src/cli/main.ts");
await main(process.argv);
