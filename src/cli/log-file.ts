import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

export interface LogFileOptions {
  /** A file grows to this size before it is rotated. (Default: 10 MB) */
  maxBytes?: number;
  /** Rotated files kept beside it: `.1` the newest. (Default: 3) */
  keep?: number;
}

/**
 * The log file in the data directory: JSON lines appended synchronously (a line is on disk before
 * the process can exit, even at a second Ctrl+C), rotated when it reaches `maxBytes` —
 * `lexbridge.log` becomes `lexbridge.log.1`, the oldest beyond `keep` is removed — so a `sync`
 * that runs for months keeps at most (keep + 1) × maxBytes. The folder is 0700 and the files 0600:
 * the log names clients and bills. A pino destination (anything with `write`).
 */
export function sizeCappedLogFile(path: string, options: LogFileOptions = {}) {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const keep = options.keep ?? 3;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd = openSync(path, "a", 0o600);
  let bytes = fstatSync(fd).size;
  const rotate = () => {
    closeSync(fd);
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--)
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    if (keep > 0) renameSync(path, `${path}.1`);
    else rmSync(path, { force: true });
    fd = openSync(path, "a", 0o600);
    bytes = 0;
  };
  return {
    write(chunk: string): void {
      const size = Buffer.byteLength(chunk);
      try {
        if (bytes > 0 && bytes + size > maxBytes) rotate();
        writeSync(fd, chunk);
        bytes += size;
      } catch {
        // A full disk or a file removed under us loses log lines, never the sync itself.
      }
    },
    close(): void {
      closeSync(fd);
    },
  };
}
