import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first line the process writes on stdout. */
  firstLine: Promise<string>;
  /** Resolves when the process exits, with its code and everything it printed. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `lexbridge <args>` as a real process (stdin closed, as on a server without a terminal). */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  let resolveLine!: (line: string) => void;
  const firstLine = new Promise<string>((r) => {
    resolveLine = r;
  });
  child.stdout?.on("data", (d) => {
    stdout += d;
    const nl = stdout.indexOf("\n");
    if (nl >= 0) resolveLine(stdout.slice(0, nl));
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const done = once(child, "exit").then(([code]) => {
    resolveLine(stdout);
    return { code: code as number | null, stdout, stderr };
  });
  return { child, firstLine, done };
}

/** Runs `lexbridge <args>` to its end. */
export function runCli(args: string[], env: Record<string, string> = {}) {
  return startCli(args, env).done;
}

/** A port free at the time of asking (for a redirect URI the test registers beforehand). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, "close");
  return port;
}
