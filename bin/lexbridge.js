#!/usr/bin/env node
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
