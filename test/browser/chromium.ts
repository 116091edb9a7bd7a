/**
 * Real headless Chromium for browser tests: Debian's `chromium` package, installed by the
 * test run itself when it is missing, driven through playwright-core.
 *
 * Use `browserTest` to register a test; it installs Chromium once per process (and, through
 * a file lock, once per machine), launches it with the project's flags, gives the test a
 * fresh browser context, and closes everything afterwards. Where Chromium cannot be had, the
 * test is registered as ignored and one line says why.
 */
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * The flags every launch uses. playwright-core adds a fresh temporary `--user-data-dir` of
 * its own to every `launch()` (and refuses one passed here), so each browser starts with an
 * empty profile that is deleted on close.
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/** Whether Chromium is usable, and why not when it is not. */
export type ChromiumStatus = { ok: true } | { ok: false; reason: string };

// Concurrent test files in other processes wait on this lock instead of racing apt.
const INSTALL_LOCK = "/tmp/ocariot-chromium-install.lock";
// Debian's chromium with fonts for legible screenshots; recommends skipped to keep it quick.
const INSTALL_SCRIPT = `
set -e
export DEBIAN_FRONTEND=noninteractive
[ -x ${CHROMIUM_PATH} ] && exit 0
install() { apt-get install -y -q --no-install-recommends chromium fonts-liberation; }
install || { apt-get update -q && install; }
`;

let status: Promise<ChromiumStatus> | undefined;

/**
 * Makes sure Chromium exists at `CHROMIUM_PATH`, installing it with apt-get (as root, or
 * through passwordless sudo) when it does not. Runs at most once per process.
 */
export function ensureChromium(): Promise<ChromiumStatus> {
  return status ??= findOrInstall();
}

async function findOrInstall(): Promise<ChromiumStatus> {
  if (await isExecutable(CHROMIUM_PATH)) return { ok: true };
  const runner = await privilegedRunner();
  if (!runner) {
    return {
      ok: false,
      reason:
        `Chromium is not at ${CHROMIUM_PATH} and cannot be installed here (not root, no passwordless sudo); run: apt-get install -y chromium`,
    };
  }
  const started = performance.now();
  console.error(
    `browser tests: no ${CHROMIUM_PATH}; installing Debian's chromium with apt-get (or waiting for the install another test file started)…`,
  );
  const [command, ...args] = [...runner, "flock", INSTALL_LOCK, "sh", "-c", INSTALL_SCRIPT];
  const result = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (result.success && await isExecutable(CHROMIUM_PATH)) {
    console.error(`browser tests: chromium ready after ${seconds} s`);
    return { ok: true };
  }
  const tail = new TextDecoder().decode(result.stderr).trim().split("\n").slice(-5).join("\n");
  return {
    ok: false,
    reason: result.success
      ? `apt-get installed chromium but ${CHROMIUM_PATH} is still missing`
      : `apt-get could not install chromium (${seconds} s):\n${tail}`,
  };
}

/** `[]` when running as root, `["sudo", "-n"]` with passwordless sudo, else undefined. */
async function privilegedRunner(): Promise<string[] | undefined> {
  if (Deno.uid() === 0) return [];
  try {
    const probe = await new Deno.Command("sudo", {
      args: ["-n", "true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return probe.success ? ["sudo", "-n"] : undefined;
  } catch {
    return undefined; // no sudo on this machine
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Launches headless Chromium with `CHROMIUM_FLAGS` (and a fresh temporary profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
}

/** What a browser test receives: a fresh context of its own browser. */
export interface BrowserTestContext {
  browser: Browser;
  context: BrowserContext;
}

let skipNoticeShown = false;

/**
 * Registers a Deno test that runs in real headless Chromium. Call it with top-level await:
 * `await browserTest("…", async ({ context }) => { … })`. The browser and its context are
 * closed when the test ends, whatever its outcome.
 */
export async function browserTest(
  name: string,
  fn: (t: BrowserTestContext) => Promise<void>,
): Promise<void> {
  const available = await ensureChromium();
  if (!available.ok && !skipNoticeShown) {
    skipNoticeShown = true;
    console.error(`browser tests skipped: ${available.reason}`);
  }
  Deno.test({
    name,
    ignore: !available.ok,
    // playwright-core keeps timers and pipes of its own between calls.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await fn({ browser, context });
      } finally {
        await browser.close();
      }
    },
  });
}
