import { eq } from "drizzle-orm";
import { dailyLogs, physicalActivities, users } from "../../src/db/schema/index.ts";
import { activityBody, nextInstant } from "../../src/tracking/testing.ts";
import { assertEquals, assertTrue } from "../assert.ts";
import { startTestApp } from "../harness.ts";

/**
 * Issue 10, finding 4: erasure holds against concurrent writes. A child's DELETE races a
 * bulk POST of 100 items for the same child, 30 times per resource, with the DELETE
 * started at varying moments of the POST. Whatever the order, once both have answered
 * nothing of the child remains, a later write for it is refused, and the 207 tells the
 * truth: every item is either stored (then erased) or refused with the missing-child 400.
 */

const TRIALS = 30;
const ITEMS = 100;

const t = await startTestApp();
const admin = await t.login("admin");
const app = await t.login("application");

const noSuchChild = (id: string) => ({
  code: 400,
  message: `There is no registered Child with ID: ${id} on the platform!`,
  description: "Please register the Child and try again...",
});

let day = Date.UTC(2000, 0, 1);
const nextDate = () => new Date(day += 86_400_000).toISOString().slice(0, 10);

interface Race {
  name: string;
  path: (child: string) => string;
  item: () => unknown;
  /** How many rows of this resource the child has. */
  rows: (child: string) => Promise<number>;
}

const races: Race[] = [
  {
    name: "physicalactivities",
    path: (child: string) => `/v1/children/${child}/physicalactivities`,
    item: () => activityBody(nextInstant()),
    rows: async (child: string) =>
      (await t.db.select().from(physicalActivities).where(eq(physicalActivities.childId, child)))
        .length,
  },
  {
    name: "logs/steps",
    path: (child: string) => `/v1/children/${child}/logs/steps`,
    item: () => ({ date: nextDate(), value: 1000 }),
    rows: async (child: string) =>
      (await t.db.select().from(dailyLogs).where(eq(dailyLogs.childId, child))).length,
  },
];

/** Lets the event loop turn `n` times (timers included), so the DELETE starts later. */
async function turns(n: number) {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

for (const race of races) {
  Deno.test(`erasure race: DELETE the child during a bulk POST ${race.name}, ${TRIALS} trials: 0 rows left`, async () => {
    let rowsLeft = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const child = await t.createUser("child");
      const path = race.path(child.id);
      const items = Array.from({ length: ITEMS }, () => race.item());
      const post = t.request("POST", path, { token: app.token, body: items });
      await turns(trial % 6);
      const deleted = await t.request("DELETE", `/v1/users/${child.id}`, { token: admin.token });
      const written = await post;
      assertEquals(deleted.status, 204);
      const answer = await written.json();
      if (written.status === 400) {
        // The access check already saw the child gone.
        assertEquals(answer, noSuchChild(child.id));
      } else {
        assertEquals(written.status, 207);
        assertEquals(answer.success.length + answer.error.length, ITEMS);
        for (const { item: _, ...error } of answer.error) {
          assertEquals(error, noSuchChild(child.id));
        }
        assertTrue(answer.success.length === 0 || answer.error.length === 0, "all or nothing");
      }
      rowsLeft += await race.rows(child.id);
      const later = await t.request("POST", path, { token: app.token, body: [race.item()] });
      assertEquals([later.status, await later.json()], [400, noSuchChild(child.id)]);
    }
    assertEquals(rowsLeft, 0);
  });
}

Deno.test("erasure: the Fitbit ingest for a child deleted meanwhile stores nothing", async () => {
  const child = await t.createUser("child");
  await t.db.delete(users).where(eq(users.id, child.id));
  const result = await t.ingest.logs(child.id, [{ type: "steps", date: "2020-01-01", value: 5 }]);
  assertEquals(result.success, []);
  assertEquals(result.error.map(({ item: _, ...error }) => error), [noSuchChild(child.id)]);
  assertEquals(await races[1].rows(child.id), 0);
});

Deno.test("(close the test database)", () => t.close());
