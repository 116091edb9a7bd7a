/**
 * Forms in Chromium: an educator creates a group through the form; a submission the API
 * refuses shows the API's message next to the field it names; an admin's institution
 * form shows a conflict next to the name. Saves the form with its message.
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { buildWorld } from "../dashboard/world.ts";
import { startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { settle, signInAs, watchedPage } from "./dashboard.ts";
import { saveScreenshot } from "./screenshot.ts";
import { serveTestApp } from "./serve.ts";

const t = await startTestApp();
await buildWorld(t);
const served = await serveTestApp(t);

await browserTest(
  "dashboard: an educator creates a group; the API's message sits by its field",
  async ({ context }) => {
    const { page, assertClean } = await watchedPage(context);
    await signInAs(page, served.url, "ms.silva");
    await page.getByRole("link", { name: "New group" }).click();
    await page.getByRole("heading", { name: "New group" }).waitFor();

    // No child chosen: the API names the missing collection, beside the children.
    await page.getByLabel("Name").fill("Reading club");
    await page.getByRole("button", { name: "Save" }).click();
    const error = page.locator("#f-children-error");
    await error.waitFor();
    assertEquals(
      await error.innerText(),
      "Required fields were not provided... Collection with children IDs are required!",
    );
    assertEquals(await page.locator("#f-children").getAttribute("aria-invalid"), "true");
    assertEquals(await page.locator("#f-name-error").count(), 0);
    assertEquals(
      await page.getByLabel("Name").inputValue(),
      "Reading club",
      "the form keeps input",
    );
    await settle(page);
    await saveScreenshot(page, "dashboard-group-form-error");

    // Choose Ana: created, and listed with her.
    await page.getByLabel("ana").check();
    await page.getByLabel("School class").fill("4A");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Created.").waitFor();
    const group = page.locator("section", {
      has: page.getByRole("heading", { name: /Reading club/ }),
    });
    assertEquals(await group.locator("a[href^='/app/children/']").allInnerTexts(), ["ana"]);

    // A second group of the same name: the API's conflict, beside the name.
    await page.getByRole("link", { name: "New group" }).click();
    await page.getByLabel("Name").fill("Reading club");
    await page.getByLabel("bruno").check();
    await page.getByRole("button", { name: "Save" }).click();
    assertEquals(
      await page.locator("#f-name-error").innerText(),
      "Children Group is already registered...",
    );
    assertClean();
  },
);

await browserTest(
  "dashboard: an admin's institution form shows the API's messages by the fields",
  async ({ context }) => {
    const { page, assertClean } = await watchedPage(context);
    await signInAs(page, served.url, "dash-admin");
    await page.getByRole("link", { name: "New institution" }).click();
    await page.getByLabel("Name").fill("Escola do Rio");
    await page.getByLabel("Type").fill("School");
    await page.getByLabel("Latitude").fill("north");
    await page.getByRole("button", { name: "Save" }).click();
    assertMatch(
      await page.locator("#f-latitude-error").innerText(),
      /^One or more request fields are invalid\.\.\. latitude /,
    );
    await page.getByLabel("Latitude").fill("41.15");
    await page.getByRole("button", { name: "Save" }).click();
    assertEquals(
      await page.locator("#f-name-error").innerText(),
      "Institution is already registered...",
    );
    await page.getByLabel("Name").fill("Escola Nova");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Created.").waitFor();
    await page.getByRole("cell", { name: "Escola Nova", exact: true }).waitFor();
    assertClean();
  },
);

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
