/**
 * Dashboard in Chromium: each user type signs in through the form and lands on its own
 * start page, which links to exactly the children the API lets it see. Applications
 * are turned away. Saves the sign-in page and each start page as screenshots.
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { buildWorld } from "../dashboard/world.ts";
import { startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { linkedChildren, settle, signInAs, watchedPage } from "./dashboard.ts";
import { saveScreenshot } from "./screenshot.ts";
import { serveTestApp } from "./serve.ts";

const t = await startTestApp();
await buildWorld(t);
const served = await serveTestApp(t);

const CASES = [
  // [username, start page, heading, children linked there, screenshot]
  ["dash-admin", "/app/institutions", "Institutions", [], "dashboard-admin-institutions"],
  ["ms.silva", "/app/groups", "Groups", ["ana", "bruno"], "dashboard-educator-groups"],
  ["dr.costa", "/app/groups", "Groups", ["ana"], undefined],
  ["family.lima", "/app/children", "Children", ["ana"], "dashboard-family-children"],
  ["ana", "/app/children/", "ana", [], undefined],
] as const;

await browserTest(
  "dashboard: each user type signs in and sees exactly its children",
  async ({ context }) => {
    const { page, assertClean } = await watchedPage(context);
    await page.goto(`${served.url}/app`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await settle(page);
    await saveScreenshot(page, "dashboard-sign-in");

    for (const [username, start, heading, children, screenshot] of CASES) {
      await signInAs(page, served.url, username);
      assertMatch(new URL(page.url()).pathname, new RegExp(`^${start}`), username);
      assertEquals(await page.locator("main h1").innerText(), heading, username);
      assertEquals(await linkedChildren(page), [...children], `${username}'s children`);
      if (screenshot) {
        await settle(page);
        await saveScreenshot(page, screenshot, { fullPage: true });
      }
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have signed out.").waitFor();
    }

    // The admin sees every child in the children list.
    await signInAs(page, served.url, "dash-admin");
    await page.getByRole("link", { name: "Children" }).click();
    await page.getByRole("heading", { name: "Children" }).waitFor();
    assertEquals(await linkedChildren(page), ["ana", "bruno", "carla"]);
    await settle(page);
    await saveScreenshot(page, "dashboard-admin-children", { fullPage: true });
    assertClean();
  },
);

await browserTest("dashboard: an application is turned away at sign-in", async ({ context }) => {
  const { page, assertClean } = await watchedPage(context);
  await page.goto(`${served.url}/app`);
  await page.getByLabel("Username").fill("school-app");
  await page.getByLabel("Password").fill("secret-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Applications use the API directly" }).waitFor();
  assertEquals(
    (await context.cookies()).filter((c) => c.name === "ocariot_session"),
    [],
  );
  assertClean();
});

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
