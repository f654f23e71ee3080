#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size=8: V8's young generation grows to about 130 MB (Node 24's default) under the sync's
// steady allocation, a large part of a large firm's peak RSS; 8 MB semi-spaces keep it small
// (docs/operations.md, Memory). Node reads the flag only at startup, hence here.
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
