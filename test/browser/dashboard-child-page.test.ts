/**
 * A child's page in Chromium, as the family sees it: the charts are accessible images
 * with as many bars, nights and points as the seeded data has, the activity table has
 * its rows, the environment has a line per measurement type; on a phone-sized screen
 * nothing overflows the page. A child without data shows what to do instead of charts.
 * Saves the page at desktop and phone sizes.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { ANA_PLAN, buildWorld } from "../dashboard/world.ts";
import { startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { settle, signInAs, watchedPage } from "./dashboard.ts";
import { saveScreenshot } from "./screenshot.ts";
import { serveTestApp } from "./serve.ts";

const t = await startTestApp();
await buildWorld(t);
const served = await serveTestApp(t);

await browserTest("dashboard: a child's page draws the seeded data", async ({ context }) => {
  const { page, assertClean } = await watchedPage(context);
  await signInAs(page, served.url, "family.lima");
  await page.getByRole("link", { name: "ana" }).click();
  await page.getByRole("heading", { name: "ana", level: 1 }).waitFor();

  // Each chart is an image named by its title.
  for (const name of [/Steps per day/, /Active minutes per day/, /Sleep per night/, /^Weight/]) {
    await page.getByRole("img", { name }).waitFor();
  }
  const count = (selector: string) => page.locator(selector).count();
  assertEquals(await count("#chart-steps rect.bar"), ANA_PLAN.stepDays.length);
  assertEquals(await count("#chart-active rect.bar"), ANA_PLAN.activeDays.length);
  assertEquals(await count("#chart-sleep g.bar"), ANA_PLAN.sleepDays.length);
  // Stages nights: deep, light, REM and awake in each.
  assertEquals(await count("#chart-sleep rect.segment"), ANA_PLAN.sleepDays.length * 4);
  const points = (id: string) =>
    page.locator(`#${id} path.line`).getAttribute("data-points").then(Number);
  assertEquals(await points("chart-weight"), ANA_PLAN.weighDays.length);
  assertEquals(await points("chart-bodyfat"), ANA_PLAN.weighDays.length);
  // Two activities on each walking day, newest first.
  assertEquals(await count("main table tbody tr"), ANA_PLAN.walkDays.length * 2);
  assertEquals(await page.locator("main table tbody tr td").nth(1).innerText(), "Football");
  // Environment: one chart per unit, one line per measurement type.
  assertEquals(await count("#environment figure.chart"), 3);
  assertEquals(
    (await page.locator("#environment path.line").evaluateAll((paths) =>
      paths.map((p) => (p as unknown as { dataset: { series: string } }).dataset.series)
    )).sort(),
    ["humidity", "pm10", "pm2.5", "temperature"],
  );
  // Axes say their unit; the steps chart names its last day.
  assertTrue((await page.locator("#chart-steps svg").innerHTML()).includes(">steps</text>"));
  assertTrue((await page.locator("#chart-steps .x-labels").innerHTML()).includes("10 Mar"));

  await settle(page);
  await saveScreenshot(page, "dashboard-child", { fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() =>
    (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
      .document.documentElement.scrollWidth
  );
  assertEquals(overflow <= 390, true, `the page is ${overflow} px wide on a 390 px screen`);
  await settle(page);
  await saveScreenshot(page, "dashboard-child-phone", { fullPage: true });
  assertClean();
});

await browserTest(
  "dashboard: a child without data gets what to do, not empty charts",
  async ({ context }) => {
    const { page, assertClean } = await watchedPage(context);
    await signInAs(page, served.url, "ms.silva");
    await page.getByRole("link", { name: "bruno" }).click();
    await page.getByRole("heading", { name: "bruno", level: 1 }).waitFor();
    // Only the school's environment has readings; none of Bruno's own charts is drawn.
    for (
      const id of ["chart-steps", "chart-active", "chart-sleep", "chart-weight", "chart-bodyfat"]
    ) {
      assertEquals(await page.locator(`#${id} svg`).count(), 0, id);
    }
    assertEquals(await page.locator("#environment svg").count(), 3);
    assertEquals(
      await page.locator("#chart-steps .empty").innerText(),
      "No data yet: connect a wearable, or let an app record the child's day.",
    );
    await page.getByText("No sleep recorded yet: connect a wearable that tracks sleep.").waitFor();
    assertClean();
  },
);

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
