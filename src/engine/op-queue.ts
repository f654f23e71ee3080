import type { PlannedOperation } from "./operation.ts";

/**
 * The writes of one phase between its planner and the executor's lanes: the planner adds a chunk
 * at a time while the lanes send, so QBO is busy while the rest of the phase is planned and only
 * a bounded part of the phase is in memory at once. Batch workers take from the front, single
 * writes from the back (the writes of a phase are independent of each other, order within it is
 * free). `changed()` resolves at the next add, take, end or stop — what every side waits on.
 */
export class OpQueue {
  #ops: PlannedOperation[] = [];
  #ended = false;
  #stopped = false;
  #waiters: Array<() => void> = [];

  get size(): number {
    return this.#ops.length;
  }

  /** No more writes will be added: what is queued is all that is left of the phase. */
  get ended(): boolean {
    return this.#ended;
  }

  /** A side failed: the planner adds nothing more, the lanes take nothing more. */
  get stopped(): boolean {
    return this.#stopped;
  }

  add(ops: PlannedOperation[]): void {
    for (const op of ops) this.#ops.push(op);
    this.#notify();
  }

  takeFront(n: number): PlannedOperation[] {
    const taken = this.#ops.splice(0, n);
    this.#notify();
    return taken;
  }

  takeBack(): PlannedOperation | undefined {
    const op = this.#ops.pop();
    this.#notify();
    return op;
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  stop(): void {
    this.#stopped = true;
    this.#notify();
  }

  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
