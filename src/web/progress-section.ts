import type { Hono } from "hono";
import { html } from "hono/html";
import { streamSSE } from "hono/streaming";
import { count } from "../app/bookkeeping-words.ts";
import type { LiveProgress, ProgressView } from "../app/live-progress.ts";
import type { WebEnv } from "./web-env.ts";

/** How often a running pass's view is sent even without an event: the ETA moves in between. */
const TICK_MS = 1000;

/**
 * The pass's progress on a page: rendered as it is when the page loads, then kept current by
 * /assets/progress.js from the server-sent events of /progress/stream. Each element that changes
 * names its field of ProgressView in `data-field`.
 */
export function progressSection(view: ProgressView) {
  return html`<section id="progress" data-state="${view.state}" aria-live="polite">
    <p><strong data-field="label">${view.label}</strong> <small data-field="eta">${view.eta}</small></p>
    <progress data-field="percent" value="${view.percent}" max="100"></progress>
    <p><small>Read <span data-field="recordsRead">${count(view.recordsRead)}</span> Clio records ·
      sent <span data-field="writesDone">${count(view.writesDone)}</span> of
      <span data-field="writesPlanned">${count(view.writesPlanned)}</span> planned writes to QuickBooks</small></p>
  </section>
  <script src="/assets/progress.js" defer></script>`;
}

/**
 * GET /progress/stream (behind the login, like every page): one `progress` event at once, then
 * one at every change of the pass and every second while it runs. The stream ends when the
 * browser leaves the page or serve stops (which closes every connection).
 */
export function registerProgressStream(app: Hono<WebEnv>, live: LiveProgress): void {
  app.get("/progress/stream", (c) => {
    c.header("Cache-Control", "no-store");
    return streamSSE(c, async (stream) => {
      const send = (view: ProgressView) =>
        void stream.writeSSE({ event: "progress", data: JSON.stringify(view) }).catch(() => {});
      send(live.view());
      const unsubscribe = live.subscribe(send);
      const ticker = setInterval(() => {
        if (live.running) send(live.view());
      }, TICK_MS);
      await new Promise<void>((resolve) =>
        stream.onAbort(() => {
          unsubscribe();
          clearInterval(ticker);
          resolve();
        }),
      );
    });
  });
}
