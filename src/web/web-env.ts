import type { WebSession } from "../store/port.ts";

/** The Hono environment of the dashboard: the logged-in session, set by requireLogin. */
export interface WebEnv {
  Variables: { session: WebSession };
}
