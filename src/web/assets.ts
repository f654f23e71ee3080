import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { WebEnv } from "./web-env.ts";

/** The one script: keeps the progress section current (progress-section.ts). */
const PROGRESS_JS = readFileSync(new URL("./assets/progress.js", import.meta.url), "utf8");

/**
 * The dashboard's one stylesheet, Pico CSS, read from its npm package (pinned in the lockfile)
 * and served by lexbridge itself: no CDN (the CSP allows only this origin) and no build step.
 */
export function registerAssets(app: Hono<WebEnv>): void {
  const css = readFileSync(fileURLToPath(import.meta.resolve("@picocss/pico/css/pico.min.css")), "utf8");
  app.get("/assets/pico.min.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(css);
  });
  app.get("/assets/progress.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(PROGRESS_JS);
  });
  // Browsers ask for it on every site; no icon, rather than a 404 in each console (or a login redirect).
  app.get("/favicon.ico", (c) => {
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(null, 204);
  });
}
