/**
 * The audit trail sees the dashboard: every page view of a child's data in Chromium is
 * recorded, under the signed-in user, as the API reads the page made (the profile, the
 * daily logs, sleep, weights, body fats, activities and, for those who may manage it, the
 * wearable's connection status), and so is every page listing children.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { buildWorld } from "../dashboard/world.ts";
import { startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { signInAs, watchedPage } from "./dashboard.ts";
import { serveTestApp } from "./serve.ts";

const t = await startTestApp();
const world = await buildWorld(t);
const served = await serveTestApp(t);
const adminToken = await t.tokenFor({ id: world.admin.id, type: "admin" });

interface AuditEntry {
  user_id: string;
  route_id: string;
  path: string;
  status: number;
  child_id?: string;
}

/** The audit rows of one user about one child, oldest first. */
async function entries(userId: string, childId: string): Promise<AuditEntry[]> {
  const res = await t.request("GET", `/v1/audit?user=${userId}&child=${childId}&limit=1000`, {
    token: adminToken,
  });
  assertEquals(res.status, 200);
  return (await res.json() as AuditEntry[]).reverse();
}

/** The reads a child's page makes of that child's data (the wearable's only when manageable). */
const CHILD_PAGE_READS = ["AC6", "TR2", "TR6", "TR10", "TR16", "TR17"];

await browserTest("dashboard: every view of a child's page is audited", async ({ context }) => {
  const { page, assertClean } = await watchedPage(context);
  const viewers = [
    [world.family, "family.lima", true],
    [world.educator, "ms.silva", true],
    [world.healthProfessional, "dr.costa", true],
    [world.ana, "ana", true],
    [world.admin, "dash-admin", false],
  ] as const;
  for (const [user, username, manages] of viewers) {
    await signInAs(page, served.url, username);
    for (let view = 1; view <= 2; view++) {
      const before = (await entries(user.id, world.ana.id)).length;
      const response = await page.goto(`${served.url}/app/children/${world.ana.id}`);
      assertEquals(response?.status(), 200);
      const added = (await entries(user.id, world.ana.id)).slice(before);
      const expected = manages ? [...CHILD_PAGE_READS, "WS1"] : CHILD_PAGE_READS;
      assertEquals(
        [...new Set(added.map((e) => e.route_id))].sort(),
        [...expected].sort(),
        `${username}, view ${view}`,
      );
      // Every data read answered, the wearable's status included.
      assertTrue(
        added.every((e) => e.status === 200),
        `${username}: ${JSON.stringify(added.map((e) => [e.route_id, e.status]))}`,
      );
      assertTrue(added.every((e) => e.path.startsWith("/v1/")), "recorded as the API's paths");
    }
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();
  }

  // The pages that list children are reads of children's data too.
  const lists = [
    [world.family, "family.lima", "/app/children", "AC17"],
    [world.educator, "ms.silva", "/app/groups", "AC26"],
    [world.healthProfessional, "dr.costa", "/app/groups", "AC28"],
    [world.admin, "dash-admin", "/app/users/children", "AC5"],
  ] as const;
  for (const [user, username, path, route] of lists) {
    await signInAs(page, served.url, username);
    const before = await routeCount(user.id, route);
    await page.goto(`${served.url}${path}`);
    assertEquals(await routeCount(user.id, route), before + 1, `${username} ${path}`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();
  }
  assertClean();
});

/** How many audit rows a user has for one route. */
async function routeCount(userId: string, route: string): Promise<number> {
  const res = await t.request("GET", `/v1/audit?user=${userId}&route=${route}&limit=1`, {
    token: adminToken,
  });
  assertEquals(res.status, 200);
  return Number(res.headers.get("X-Total-Count"));
}

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
