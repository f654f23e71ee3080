/**
 * Counts the data API requests the emulator receives and, for tests that run the emulator in
 * their own process, tells a listener of each one as it arrives. The listener may hold the
 * request (by returning a promise) — how a test kills the client process at an exact request
 * rather than after some milliseconds, which would land somewhere else on every machine.
 */
export interface TappedRequest {
  /** 1 for the first data API request the emulator received, 2 for the next, … */
  n: number;
  method: string;
  /** The path after /v3/company/{realmId}, with the query string. */
  path: string;
  /** The request's body (POST only), so a listener can tell which entities a batch writes. */
  body?: string;
}

export type RequestListener = (request: TappedRequest) => void | Promise<void>;

export class RequestTap {
  count = 0;
  listener: RequestListener | undefined;

  /** Called first for every data API request; resolves when the listener lets it go on. */
  async arrive(method: string, path: string, readBody: () => Promise<string>): Promise<void> {
    this.count += 1;
    const listener = this.listener;
    if (!listener) return;
    const n = this.count;
    // The body is read only when someone listens (Hono keeps it for the route that reads it again).
    const body = method === "POST" ? await readBody() : undefined;
    await listener({ n, method, path, ...(body === undefined ? {} : { body }) });
  }
}
