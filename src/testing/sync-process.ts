import { spawn } from "node:child_process";
import { once } from "node:events";
import type { TappedRequest } from "../emulators/qbo/request-tap.ts";
import type { EmulatorPair } from "./emulator-pair.ts";
import { qboRequestLabel } from "./qbo-request-label.ts";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

export interface SyncProcessResult {
  code: number | null;
  stdout: string;
  /** What each QBO request of this process did (see qboRequestLabel), in order of arrival. */
  labels: string[];
  /** The request at which the process was killed, and what it did; absent if it ran to its end. */
  killedAt?: { n: number; label: string };
}

/**
 * Runs `lexbridge sync --once` as its own process. With `killAtRequest` N, the process is killed
 * with SIGKILL when the QBO emulator receives its N-th request (counted from the start of this
 * process), so a kill lands at the same point of the work on a slow machine and a fast one. That
 * request, and any sent beside it, are held until the process is gone and then carried out: the
 * writes happen, their answers are lost — the case that duplicates records without replay.
 */
export async function syncProcess(pair: EmulatorPair, killAtRequest?: number): Promise<SyncProcessResult> {
  const tap = pair.qbo.emulator.core.requests;
  const first = tap.count;
  const child = spawn(
    process.execPath,
    [bin, "sync", "--once", "--json", ...pair.cliFlags, "--http-timeout-ms", "1000"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const exited = once(child, "exit") as Promise<[number | null]>;
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  let killedAt: SyncProcessResult["killedAt"];
  const labels: string[] = [];
  tap.listener = async (request: TappedRequest) => {
    const n = request.n - first;
    labels.push(qboRequestLabel(request));
    if (killAtRequest === undefined || n < killAtRequest) return;
    if (n === killAtRequest) {
      killedAt = { n, label: qboRequestLabel(request) };
      child.kill("SIGKILL");
    }
    await exited;
  };
  try {
    const [code] = await exited;
    return { code, stdout, labels, ...(killedAt ? { killedAt } : {}) };
  } finally {
    tap.listener = undefined;
  }
}
