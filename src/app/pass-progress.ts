import type { ProgressEvent } from "../engine/sync-pass.ts";
import { WRITE_PHASES } from "../engine/sync-pass.ts";
import type { PassSnapshot, PhaseState, StreamState } from "./pass-estimate.ts";

/** What a pass is doing at a moment, in the words of the progress line and the stop message. */
export type Activity =
  | { kind: "starting" }
  | { kind: "reading"; stream: string }
  /** Between reads and writes: finding deletions, planning the next phase. */
  | { kind: "planning" }
  | { kind: "writing"; phase: string; done: number; total: number };

/**
 * The state of one pass as its progress events tell it: what each Clio stream has read, what
 * each write phase planned and finished, and how long a request takes. Times come from the
 * caller, so the state is pure and its tests need no clock.
 */
export class PassProgress {
  readonly #startedAt: number;
  readonly #reads = new Map<string, StreamState>();
  readonly #phases = new Map<string, PhaseState>(WRITE_PHASES.map((phase) => [phase, { phase, done: 0 }]));
  #activity: Activity = { kind: "starting" };
  #lastPageAt?: number;
  readonly #clioMs = new Mean();
  #lastBatchAt?: number;
  readonly #qboMs = new Mean();

  constructor(startedAt: number) {
    this.#startedAt = startedAt;
  }

  get startedAt(): number {
    return this.#startedAt;
  }

  apply(event: ProgressEvent, at: number): void {
    switch (event.type) {
      case "reads":
        for (const stream of event.streams)
          this.#reads.set(stream, { stream, records: 0, pages: 0, done: false });
        return;
      case "pulled": {
        const r = this.#read(event.stream);
        r.records += event.records;
        r.pages++;
        if (this.#lastPageAt !== undefined) this.#clioMs.add(at - this.#lastPageAt);
        this.#lastPageAt = at;
        if (this.#activity.kind !== "writing") this.#activity = { kind: "reading", stream: event.stream };
        return;
      }
      case "read": {
        const r = this.#read(event.stream);
        r.records = event.records;
        r.done = true;
        this.#lastPageAt = undefined; // the next stream's first page waits for its own reasons
        if (this.#activity.kind === "reading") this.#activity = this.#readingOrPlanning();
        return;
      }
      case "phase": {
        const p = this.#phase(event.phase);
        // The outbox replay runs at the start and the end of a pass: its totals add up.
        p.total = (p.total ?? 0) + event.total;
        this.#lastBatchAt = at;
        if (event.total > 0)
          this.#activity = { kind: "writing", phase: p.phase, done: p.done, total: p.total };
        else if (this.#activity.kind === "writing") this.#activity = this.#readingOrPlanning();
        return;
      }
      case "progress": {
        const p = this.#phase(event.phase);
        p.done += event.done;
        if (this.#lastBatchAt !== undefined) this.#qboMs.add(at - this.#lastBatchAt);
        this.#lastBatchAt = at;
        const total = p.total ?? p.done;
        this.#activity =
          p.done >= total
            ? this.#readingOrPlanning()
            : { kind: "writing", phase: p.phase, done: p.done, total };
        return;
      }
    }
  }

  snapshot(now: number): PassSnapshot {
    return {
      elapsedMs: now - this.#startedAt,
      reads: [...this.#reads.values()].map((r) => ({ ...r })),
      phases: [...this.#phases.values()].map((p) => ({ ...p })),
      ...(this.#clioMs.value !== undefined ? { clioMsPerRequest: this.#clioMs.value } : {}),
      ...(this.#qboMs.value !== undefined ? { qboMsPerBatch: this.#qboMs.value } : {}),
    };
  }

  activity(): Activity {
    return this.#activity;
  }

  /** Clio records read so far, over every stream. */
  recordsRead(): number {
    let n = 0;
    for (const r of this.#reads.values()) n += r.records;
    return n;
  }

  /** Writes finished so far and writes planned so far, over every phase. */
  writes(): { done: number; planned: number } {
    let done = 0;
    let planned = 0;
    for (const p of this.#phases.values()) {
      done += p.done;
      planned += p.total ?? 0;
    }
    return { done, planned };
  }

  #readingOrPlanning(): Activity {
    const reads = [...this.#reads.values()];
    const open = reads.find((r) => !r.done && r.pages > 0);
    if (open) return { kind: "reading", stream: open.stream };
    return reads.some((r) => r.pages > 0) ? { kind: "planning" } : { kind: "starting" };
  }

  #read(stream: string): StreamState {
    let r = this.#reads.get(stream);
    if (!r) {
      r = { stream, records: 0, pages: 0, done: false };
      this.#reads.set(stream, r);
    }
    return r;
  }

  #phase(phase: string): PhaseState {
    let p = this.#phases.get(phase);
    if (!p) {
      p = { phase, done: 0 };
      this.#phases.set(phase, p);
    }
    return p;
  }
}

/**
 * The mean of every interval seen in the pass: steadier than a moving average, whose swings with
 * each slow batch made the ETA jump. A budget that starts to bind later is the estimate's other
 * bound (pass-estimate.ts), so the mean need not follow it.
 */
class Mean {
  #sum = 0;
  #n = 0;

  add(sample: number): void {
    this.#sum += sample;
    this.#n++;
  }

  get value(): number | undefined {
    return this.#n === 0 ? undefined : this.#sum / this.#n;
  }
}
