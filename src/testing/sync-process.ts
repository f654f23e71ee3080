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
 * Where to kill: at the process's N-th QBO request, or at its N-th request writing an entity (in a
 * batch or on its own, e.g. `{ writing: "Invoice", n: 2 }`).
 */
export type KillPoint = number | { writing: string; n: number };

/** Whether a request label (qboRequestLabel) writes an entity, in a batch or on its own. */
export function isWriting(label: string, entity: string): boolean {
  if (!label.startsWith("write ")) return false;
  return label
    .slice("write ".length)
    .split("+")
    .some((e) => e.toLowerCase() === entity.toLowerCase());
}

/**
 * Runs `lexbridge sync --once` as its own process. With a kill point, the process is killed with
 * SIGKILL when the QBO emulator receives that request (counted from the start of this process),
 * so a kill lands at the same point of the work on a slow machine and a fast one. That request,
 * and any sent beside it, are held until the process is gone and then carried out: the writes
 * happen, their answers are lost — the case that duplicates records without replay.
 */
export async function syncProcess(pair: EmulatorPair, killAt?: KillPoint): Promise<SyncProcessResult> {
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
  let writes = 0;
  tap.listener = async (request: TappedRequest) => {
    const n = request.n - first;
    const label = qboRequestLabel(request);
    labels.push(label);
    if (killAt === undefined) return;
    const reached =
      typeof killAt === "number" ? n >= killAt : isWriting(label, killAt.writing) && ++writes >= killAt.n;
    if (!reached && killedAt === undefined) return;
    if (killedAt === undefined) {
      killedAt = { n, label };
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
