import { type ChildProcess, spawn } from "node:child_process";

export interface EmulatorProcess {
  clioUrl: string;
  qboUrl: string;
  realmId: string;
  /** The emulators' process id (the benchmark reads its CPU time). */
  pid: number;
  summary: { clio: Record<string, number>; qbo: Record<string, number> };
  stop(): Promise<void>;
}

const bin = new URL("../bin/lexbridge.js", import.meta.url).pathname;

/**
 * Runs `lexbridge emulate` in a process of its own, so the benchmark's memory and CPU figures are
 * the engine's, not the emulators'.
 */
export function startEmulatorProcess(options: {
  size: string;
  seed: number;
  timeScale?: number;
  quotas: boolean;
}): Promise<EmulatorProcess> {
  const args = [
    bin,
    "emulate",
    "--json",
    "--clio-port",
    "0",
    "--qbo-port",
    "0",
    "--firm",
    options.size,
    "--seed",
    String(options.seed),
    "--auto-approve",
  ];
  if (options.timeScale) args.push("--time-scale", String(options.timeScale));
  if (!options.quotas) args.push("--no-quotas");
  // LEXBRIDGE_BENCH_CPU_PROFILE=<dir>: the emulators' CPU profile is written there when they stop
  // (the engine's: run the bench under `node --cpu-prof --cpu-prof-dir=<dir>`).
  const profile = process.env.LEXBRIDGE_BENCH_CPU_PROFILE;
  const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const child: ChildProcess = spawn(process.execPath, ["--max-old-space-size=8192", ...flags, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      let info: Record<string, any>;
      try {
        info = JSON.parse(out);
      } catch {
        return;
      }
      resolve({
        clioUrl: info.clio.baseUrl,
        qboUrl: info.qbo.baseUrl,
        realmId: info.qbo.realmId,
        pid: child.pid!,
        summary: info.firm,
        stop: () =>
          new Promise((done) => {
            child.on("exit", () => done());
            child.kill("SIGINT");
          }),
      });
    });
    child.on("exit", (code) => reject(new Error(`emulators exited with ${code}`)));
  });
}
