import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";

/** Set to 1 (`npm run screenshots`) to write the browser tests' screenshots over docs/screenshots. */
export const UPDATE_SCREENSHOTS_ENV = "LEXBRIDGE_UPDATE_SCREENSHOTS";

const DOCS_SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The browser tests' screenshots. Every run takes them and checks each is a PNG, so a page that
 * fails to render fails the test; they go to a temporary directory (removed by `close`), so that
 * `npm test` leaves the committed docs/screenshots alone, and to docs/screenshots only when
 * LEXBRIDGE_UPDATE_SCREENSHOTS=1.
 */
export class Screenshots {
  readonly dir: string;
  readonly #temporary: boolean;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#temporary = env[UPDATE_SCREENSHOTS_ENV] !== "1";
    if (this.#temporary) this.dir = mkdtempSync(join(tmpdir(), "lexbridge-screenshots-"));
    else {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      this.dir = DOCS_SHOTS;
    }
  }

  /** `<name>.png` of the page (the whole page unless `fullPage: false`), checked written. */
  async take(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    const path = join(this.dir, `${name}.png`);
    // A file left over from an earlier run must not pass for this one's.
    rmSync(path, { force: true });
    await page.screenshot({ path, fullPage: options.fullPage ?? true });
    const written = readFileSync(path);
    assert.ok(written.length > PNG_SIGNATURE.length, `${path} is empty`);
    assert.ok(written.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE), `${path} is not a PNG`);
  }

  close(): void {
    if (this.#temporary) rmSync(this.dir, { recursive: true, force: true });
  }
}
