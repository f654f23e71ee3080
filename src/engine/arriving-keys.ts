/**
 * Keys named by a stream while it is read (a page's bills, a page's clients), handed to one
 * consumer as they arrive: `batches()` yields every key gathered since it last yielded — one
 * page's worth at first, more while the consumer is slower than the reader — and ends once the
 * stream ended and all it named was taken. A failed stream ends it early: what is still gathered
 * is dropped, and whoever awaits the read gets its error.
 */
export class ArrivingKeys {
  #pending = new Set<string>();
  #wake: (() => void) | undefined;
  #ended = false;
  #failed = false;

  add(keys: Iterable<string>): void {
    for (const key of keys) this.#pending.add(key);
    this.#notify();
  }

  /** The stream is read (or failed): nothing more will be added. */
  end(failed = false): void {
    this.#ended = true;
    this.#failed ||= failed;
    this.#notify();
  }

  /** Ends with the read: `read` settled is the stream's end, its rejection a failure. */
  endWith(read: Promise<unknown>): void {
    read.then(
      () => this.end(),
      () => this.end(true),
    );
  }

  async *batches(): AsyncGenerator<Set<string>> {
    for (;;) {
      if (this.#failed) return;
      if (this.#pending.size > 0) {
        const keys = this.#pending;
        this.#pending = new Set();
        yield keys;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
