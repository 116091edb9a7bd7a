/**
 * Another's child in Chromium: opening the page of a child the API does not let the
 * user see gives the 403 page, with none of the child's data. Saves the 403 page.
 */
import { assertEquals } from "../assert.ts";
import { buildWorld } from "../dashboard/world.ts";
import { startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { settle, signInAs, watchedPage } from "./dashboard.ts";
import { saveScreenshot } from "./screenshot.ts";
import { serveTestApp } from "./serve.ts";

const t = await startTestApp();
const world = await buildWorld(t);
const served = await serveTestApp(t);

const CASES = [
  // The family is not Carla's; the educator's and the health professional's groups
  // do not hold her (they may read profiles, not data); Ana may see only herself.
  ["family.lima", world.carla],
  ["ms.silva", world.carla],
  ["dr.costa", world.bruno],
  ["ana", world.bruno],
] as const;

await browserTest("dashboard: another's child is the 403 page", async ({ context }) => {
  const { page, assertClean } = await watchedPage(context);
  for (const [username, child] of CASES) {
    await signInAs(page, served.url, username);
    const response = await page.goto(`${served.url}/app/children/${child.id}`);
    assertEquals(response?.status(), 403, `${username} → ${child.username}`);
    assertEquals(await page.locator("main h1").innerText(), "Not allowed");
    assertEquals(await page.locator("main svg").count(), 0);
    assertEquals((await page.locator("main").innerText()).includes(child.username), false);
    if (username === "family.lima") {
      await settle(page);
      await saveScreenshot(page, "dashboard-forbidden");
    }
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();
  }
  assertClean();
});

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
