import { type Browser, chromium } from "playwright-core";

/**
 * Debian's chromium, driven by playwright-core (which downloads no browser of its own); .ci/run
 * installs the package when it is missing. No sandbox: CI runs as root, where chromium's sandbox
 * refuses to start.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LEXBRIDGE_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],
    headless: true,
  });
}
