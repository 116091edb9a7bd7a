/** Screenshots a browser test keeps in the repository, under `docs/screenshots/`. */
import type { Locator, Page } from "playwright-core";

/** The folder screenshots are written to. */
export const SCREENSHOT_DIR = new URL("../../docs/screenshots/", import.meta.url);

/**
 * Saves a PNG of the page (or of one element) as `docs/screenshots/<name>.png` and returns
 * its path. Animations are frozen and the caret hidden, so an unchanged page gives the same
 * bytes.
 */
export async function saveScreenshot(
  target: Page | Locator,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = new URL(`${name}.png`, SCREENSHOT_DIR).pathname;
  await target.screenshot({ path, animations: "disabled", caret: "hide", ...options });
  return path;
}
