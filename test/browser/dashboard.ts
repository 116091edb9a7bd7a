/**
 * What the dashboard's browser tests share: a page that records console errors (a CSP
 * violation is one) and blocked off-machine requests, and signing in through the form
 * as a person would.
 */
import type { BrowserContext, ConsoleMessage, Page, Request } from "playwright-core";
import { assertEquals } from "../assert.ts";
import { FIXTURE_PASSWORD } from "../harness.ts";
import { blockNonLoopback } from "./network.ts";

/** A page of a fresh context, and what went wrong on it so far. */
export interface WatchedPage {
  page: Page;
  /** Asserts that nothing left the machine and nothing failed in the page. */
  assertClean(): void;
}

/** Opens a page that blocks non-loopback requests and records errors. */
export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const blocked = await blockNonLoopback(context);
  const page = await context.newPage();
  const problems: string[] = [];
  // A page answered with an error status (a 403 page, a form shown again with the API's
  // 400) is logged by Chromium as a failed load: expected for documents, not for files.
  const documents = new Set<string>();
  page.on("request", (request: Request) => {
    if (request.isNavigationRequest()) documents.add(request.url());
  });
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    const failedDocument = message.text().startsWith("Failed to load resource: the server") &&
      documents.has(message.location().url);
    if (!failedDocument) problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error: Error) => problems.push(`page error: ${error.message}`));
  return {
    page,
    assertClean() {
      assertEquals(blocked.urls, [], "requests to other hosts");
      assertEquals(problems, [], "console errors (a CSP violation is one)");
    },
  };
}

/** Signs in through the sign-in form; resolves once the next page has loaded. */
export async function signInAs(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/app`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(FIXTURE_PASSWORD);
  await Promise.all([
    page.waitForLoadState("load"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await page.locator("main h1").waitFor();
}

/** The usernames of the children a page links to (child pages), sorted. */
export async function linkedChildren(page: Page): Promise<string[]> {
  const names = await page.locator('main a[href^="/app/children/"]').allInnerTexts();
  return [...new Set(names.map((name) => name.trim()))].sort();
}

/** Leaves no focus or hover behind, so that screenshots repeat byte for byte. */
export async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  for (const focused of await page.locator(":focus").all()) await focused.blur();
}
