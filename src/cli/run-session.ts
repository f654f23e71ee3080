import { StopRequested } from "../core/stop.ts";
import { type ProgressDisplay, progressDisplay } from "./progress.ts";
import { type StopPoint, stopMessage } from "./stop-text.ts";
import { clearProgressLine, SHOW_CURSOR, writeTerminalLine } from "./terminal.ts";

/** The conventional exit codes of a process ended by a signal: 128 + its number. */
export const STOP_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A stop a person can ask for must end the run within 2 s (issue 11). Unwinding takes a few
 * milliseconds; this bound only catches what should never happen (a wait that ignores the signal),
 * and then ends the process as a second Ctrl+C would.
 */
const STOP_DEADLINE_MS = 1800;

/**
 * One `sync` or `demo` run as Ctrl+C sees it. The first SIGINT or SIGTERM fires `signal` (the
 * engine's HTTP stacks and pass stop on it, and the command says what was done); a second one ends
 * the process at once, after showing the cursor again. Either way the exit code is 130 (SIGINT)
 * or 143 (SIGTERM).
 */
export class RunSession {
  readonly #controller = new AbortController();
  readonly #json: boolean;
  #received?: NodeJS.Signals;
  #display?: ProgressDisplay;
  #stage: "between passes" | "pass" | "reconciling" = "between passes";
  #passes = 0;
  readonly #onSignal = (sig: NodeJS.Signals) => this.#handle(sig);

  constructor(options: { json: boolean }) {
    this.#json = options.json;
    process.on("SIGINT", this.#onSignal);
    process.on("SIGTERM", this.#onSignal);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** A pass begins: its progress display (a bar on a terminal; counts for the stop message always). */
  startPass(): ProgressDisplay {
    this.#display?.stop();
    this.#stage = "pass";
    this.#display = progressDisplay(!this.#json && Boolean(process.stderr.isTTY));
    return this.#display;
  }

  /** The pass's writes are done; the reconciliation after it runs. */
  reconciling(): void {
    this.#stage = "reconciling";
    this.#display?.note("Reconciling Clio and QuickBooks");
  }

  /** The pass and its reconciliation are over (or failed). */
  endPass(): void {
    this.#display?.stop();
    // A pass ended by a stop keeps its place, for the closing message.
    if (this.stopped) return;
    if (this.#stage !== "between passes") this.#passes++;
    this.#stage = "between passes";
  }

  /**
   * Ends the run if it was stopped: the closing message on stderr and the exit code. Returns
   * whether it was (then whatever error the stop made the run end with is its own doing).
   */
  finish(): boolean {
    process.off("SIGINT", this.#onSignal);
    process.off("SIGTERM", this.#onSignal);
    if (!this.#received) return false;
    this.#display?.stop();
    process.stderr.write(`${stopMessage(this.#point())}\n`);
    process.exitCode = STOP_EXIT_CODES[this.#received] ?? 1;
    return true;
  }

  #point(): StopPoint {
    const tracker = this.#display?.tracker();
    if (this.#stage === "reconciling") return { stage: "reconciling", writes: tracker?.writes().done ?? 0 };
    if (this.#stage === "between passes" || !tracker)
      return { stage: "between passes", passes: this.#passes };
    return {
      stage: "pass",
      activity: tracker.activity(),
      recordsRead: tracker.recordsRead(),
      writes: tracker.writes(),
    };
  }

  #handle(sig: NodeJS.Signals): void {
    if (this.#received) {
      this.#exitNow(this.#received, "");
      return;
    }
    this.#received = sig;
    // Said at once: the message after the stop comes when the batch in flight is abandoned.
    // On a terminal, over the `^C` it echoed.
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    writeTerminalLine(`${sig === "SIGINT" ? "Ctrl+C" : sig}: stopping (press Ctrl+C again to quit at once)…`);
    this.#controller.abort(new StopRequested(sig));
    setTimeout(
      () => this.#exitNow(sig, `lexbridge: the stop took longer than ${STOP_DEADLINE_MS} ms; quitting now.`),
      STOP_DEADLINE_MS,
    ).unref();
  }

  /** The second Ctrl+C (or a stop that outlasts its deadline): restore the terminal and exit. */
  #exitNow(sig: NodeJS.Signals, why: string): never {
    this.#display?.stop();
    clearProgressLine();
    if (process.stderr.isTTY) process.stderr.write(SHOW_CURSOR);
    if (why) process.stderr.write(`${why}\n`);
    process.stderr.write(`${stopMessage(this.#point())}\n`);
    process.exit(STOP_EXIT_CODES[sig] ?? 1);
  }
}
