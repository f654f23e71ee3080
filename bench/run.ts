// Benchmarks (not tests): `npm run bench -- <name> [options]`. Each prints its figures.
const [name = "initial", ...args] = process.argv.slice(2);
const benches: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  initial: () => import("./initial.ts"),
  idle: () => import("./idle.ts"),
  latency: () => import("./latency.ts"),
  firms: () => import("./firms.ts"),
  "firms-kills": () => import("./firms-kills.ts"),
  "second-pass": () => import("./second-pass.ts"),
};
const load = benches[name];
if (!load) {
  process.stderr.write(`unknown benchmark "${name}"; one of: ${Object.keys(benches).join(", ")}\n`);
  process.exit(2);
}
await (await load()).main(args);
