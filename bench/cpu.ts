import { readFileSync } from "node:fs";

/** CPU time (user + system, ms) a process has used so far, from /proc (0 where there is none). */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 a second).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The whole machine's CPU time so far (ms, all cores): busy and in total, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    // idle and iowait are the 4th and 5th.
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) * 10, total: total * 10 };
  } catch {
    return { busy: 0, total: 0 };
  }
}
