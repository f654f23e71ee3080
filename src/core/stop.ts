/**
 * A stop a person asked for (Ctrl+C, SIGTERM). It is not a failure: it travels as the reason of
 * the AbortSignal handed to the engine, so every wait and request in flight ends with it, and the
 * command that started the pass recognises it and says what was done.
 */
export class StopRequested extends Error {
  readonly signal: string;

  constructor(signal: string) {
    super(`stop requested (${signal})`);
    this.name = "StopRequested";
    this.signal = signal;
  }
}

export function isStopRequested(error: unknown): error is StopRequested {
  return error instanceof StopRequested;
}
