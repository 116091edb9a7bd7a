/**
 * The wearable panel in Chromium, against fake providers on loopback: a family connects
 * Ana's wearable through the platform-managed flow (the provider's consent page, then
 * the service's callback), syncs it now (the panel names the provider and the sync's
 * date and time), and disconnects it; the provider sees its grant revoked. Run once per
 * provider: Google Health (the default provider, with a device that sends no data, so
 * the page says "no data from this device", after the sync and on every later load) and
 * the legacy Fitbit. Saves the freshly loaded page with the connected panel.
 */
import type { Page } from "playwright-core";
import { assertEquals, assertTrue } from "../assert.ts";
import { buildWorld, NOW, type World } from "../dashboard/world.ts";
import { startFitbitTestbed } from "../fake-fitbit/setup.ts";
import { aceChild, googleHealthEnv, startFakeGoogleHealth } from "../fake-google-health/setup.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { settle, signInAs, watchedPage } from "./dashboard.ts";
import { saveScreenshot } from "./screenshot.ts";
import { type ServedApp, serveTestApp } from "./serve.ts";

/** One provider's fake, and an app whose active provider it is. */
interface Provider {
  name: string;
  t: TestApp;
  /** Makes the fake's consent page approve as a new user of it (with no data). */
  approveNext(): void;
  /** Whether the fake holds a live grant for the app. */
  granted(): boolean;
  /** The provider's name on the panel. */
  label: string;
  /** The notice expected after "Sync now" (the fake user has no data). */
  syncNotice: RegExp;
  /** Whether the provider reports the user's absence of data as such. */
  noData: boolean;
  screenshot?: string;
  close(): Promise<void>;
}

async function fitbit(): Promise<Provider> {
  const bed = await startFitbitTestbed({ WEARABLE_PROVIDER: "fitbit" });
  return {
    name: "the legacy Fitbit",
    t: bed.t,
    approveNext: () => {
      bed.fake.consent = { userId: bed.fake.addUser().id };
    },
    granted: () => bed.fake.grants.some((grant) => !grant.revoked),
    label: "Fitbit",
    syncNotice: /^Synchronised with the wearable\./,
    noData: false, // the legacy API answers a zero for every day: that is data
    close: bed.close,
  };
}

/** The fake Google Health server: the default provider, with a device that sends nothing. */
async function googleHealth(): Promise<Provider> {
  const fake = await startFakeGoogleHealth();
  const t = await startTestApp({ ...googleHealthEnv(fake), WEARABLE_PROVIDER: "google_health" });
  fake.now = t.clock.now;
  return {
    name: "Google Health",
    t,
    approveNext: () => {
      fake.consent = { approve: true, healthUserId: aceChild(fake).healthUserId };
    },
    granted: () => [...fake.state.grants.values()].some((grant) => !grant.revoked),
    label: "Google Health",
    syncNotice: /^No data from this device/,
    noData: true,
    screenshot: "dashboard-wearable",
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

const iso = (at: number) => new Date(at).toISOString();

async function connectSyncRevoke(page: Page, served: ServedApp, world: World, p: Provider) {
  await signInAs(page, served.url, "family.lima");
  await page.goto(`${served.url}/app/children/${world.ana.id}`);
  const panel = page.locator("#wearable");
  assertEquals(await panel.locator("[data-status]").innerText(), "Not connected");

  // Connect: the dashboard starts the flow and hands over the consent link.
  p.approveNext();
  await panel.getByRole("button", { name: /^Connect/ }).click();
  await page.getByRole("heading", { name: "Connect a wearable" }).waitFor();
  await page.getByRole("link", { name: "Continue to the provider" }).click();
  // The provider approves and returns the browser to the service's callback page.
  await page.waitForURL(/\/v1\/fitbit\/callback\?/);
  await page.getByRole("heading", { name: /connected/i }).waitFor();
  assertTrue(p.granted(), `${p.name} granted access`);

  const childPage = `${served.url}/app/children/${world.ana.id}`;
  await page.goto(childPage);
  assertEquals(await panel.locator("[data-status]").innerText(), "Connected");
  assertEquals(await panel.locator("[data-provider]").innerText(), p.label);
  assertEquals(await panel.locator("[data-last-sync]").innerText(), "Never");

  // Sync now: the provider has nothing for this device, and the page says so.
  await panel.getByRole("button", { name: "Sync now" }).click();
  const notice = page.getByRole("status");
  await notice.waitFor();
  assertTrue(p.syncNotice.test(await notice.innerText()), await notice.innerText());
  const noData = panel.locator("#wearable-no-data");
  assertEquals(await noData.count(), p.noData ? 1 : 0);

  // A later, ordinary load still shows the provider, the sync and whether data comes.
  await page.goto(childPage);
  assertEquals(await page.getByRole("status").count(), 0, "no action's notice");
  assertEquals(await panel.locator("[data-provider]").innerText(), p.label);
  assertEquals(await panel.locator("[data-status]").innerText(), "Connected");
  assertEquals(
    await panel.locator("[data-last-sync]").innerText(),
    "10 Mar 2026, 12:00 UTC",
  );
  assertEquals(await panel.locator("[data-last-sync]").getAttribute("data-last-sync"), iso(NOW));
  assertEquals(await noData.count(), p.noData ? 1 : 0);
  if (p.noData) {
    assertTrue(/^No data from this device\./.test(await noData.innerText()));
    assertTrue((await noData.innerText()).includes("Fitbit Ace"), "says why");
  }
  if (p.screenshot) {
    await settle(page);
    await saveScreenshot(page, p.screenshot);
  }

  // Disconnect: the platform forgets the tokens and the provider's grant is revoked.
  await page.locator("#wearable").getByRole("button", { name: "Disconnect" }).click();
  await page.getByText("The wearable is disconnected").waitFor();
  assertEquals(await page.locator("#wearable [data-status]").innerText(), "Not connected");
  assertEquals(p.granted(), false, `${p.name} grant revoked`);
}

for (const make of [googleHealth, fitbit]) {
  const provider = await make();
  const world = await buildWorld(provider.t);
  const served = await serveTestApp(provider.t);
  await browserTest(
    `dashboard: connect, sync and disconnect a wearable (${provider.name})`,
    async ({ context }) => {
      const { page, assertClean } = await watchedPage(context);
      await connectSyncRevoke(page, served, world, provider);
      assertClean();
    },
  );
  Deno.test(`(stop the served app: ${provider.name})`, async () => {
    await served.close();
    await provider.close();
  });
}
