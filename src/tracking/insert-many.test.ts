import { asc, eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { physicalActivities, sleep } from "../db/schema/index.ts";
import { type BulkResource, multiStatus, storeItems } from "./bulk.ts";
import { physicalActivityBulk } from "./physical-activities/physical-activities.store.ts";
import { sleepBulk } from "./sleep/sleep.store.ts";
import { activityBody, sleepBody } from "./testing.ts";

/**
 * The set-based insert (`insertMany`, one statement per batch) must answer and store
 * exactly what storing item by item does: the same 207 entries in the same order (409
 * for a start instant already stored or repeated within the batch, the first one kept),
 * the same stored rows to the byte. Each case runs both ways on two children.
 */

const t = await startTestApp();
const T = Date.UTC(2024, 5, 1, 8);

/** Counts how the bulk path stored: item by item (`store`) or at once (`insertMany`). */
function counted<Item>(resource: BulkResource<Item>, setBased: boolean) {
  const calls = { store: 0, insertMany: 0 };
  const store = resource.store;
  const insertMany = resource.insertMany;
  return {
    calls,
    resource: {
      ...resource,
      store: (tx, item) => {
        calls.store++;
        return store(tx, item);
      },
      insertMany: setBased && insertMany
        ? (tx, items) => {
          calls.insertMany++;
          return insertMany(tx, items);
        }
        : undefined,
    } as BulkResource<Item>,
  };
}

const at = (hours: number) => new Date(T + hours * 3_600_000).toISOString();
const stored = activityBody(at(0));

/** A resource with a set-based insert: its bulk path, a stored item, and its rows. */
interface Resource {
  name: string;
  bulk: (childId: string, now: number) => BulkResource<unknown>;
  stored: unknown;
  rows: (childId: string) => Promise<unknown[]>;
}

const activityCases: { name: string; items: unknown[] }[] = [
  { name: "all new", items: [activityBody(at(1)), activityBody(at(2)), activityBody(at(3))] },
  {
    name: "a repeat of a stored one, a repeat within the batch, invalid ones",
    items: [
      activityBody(at(4)),
      stored,
      { name: "no times" },
      activityBody(at(4)),
      { ...activityBody(at(5)), calories: 0.1 + 0.2, distance: 1e21, steps: 2 ** 53 - 1 },
      { ...activityBody(at(6)), start_time: "not a date" },
      { ...activityBody(at(7)), levels: undefined, heart_rate: undefined, name: ' Ñandú "x" ' },
    ],
  },
  { name: "only duplicates", items: [stored, stored] },
];

/** The child's activities without their ids, oldest start first. */
async function rowsOf(childId: string) {
  const rows = await t.db.select().from(physicalActivities)
    .where(eq(physicalActivities.childId, childId)).orderBy(asc(physicalActivities.startTime));
  return rows.map(({ id: _, childId: __, ...row }) => row);
}

/** The child's sleep records without their ids, oldest start first. */
async function sleepRowsOf(childId: string) {
  const rows = await t.db.select().from(sleep).where(eq(sleep.childId, childId))
    .orderBy(asc(sleep.startTime));
  return rows.map(({ id: _, childId: __, ...row }) => row);
}

const storedSleep = sleepBody(at(0));
const resources: (Resource & { cases: { name: string; items: unknown[] }[] })[] = [
  {
    name: "physical activities",
    bulk: physicalActivityBulk as Resource["bulk"],
    stored,
    rows: rowsOf,
    cases: activityCases,
  },
  {
    name: "sleep",
    bulk: sleepBulk as Resource["bulk"],
    stored: storedSleep,
    rows: sleepRowsOf,
    cases: [{
      name: "new, stored, repeated and invalid records",
      items: [
        sleepBody(at(30)),
        storedSleep,
        sleepBody(at(30)),
        { ...sleepBody(at(31)), type: "nap" },
        sleepBody(at(32)),
      ],
    }],
  },
];

/** A 207 body without the new ids and child ids (which differ between the two children). */
const masked = (childId: string, result: unknown) =>
  JSON.parse(
    JSON.stringify(result).replaceAll(childId, "<child>").replace(
      /"id":"[0-9a-f]{24}"/g,
      '"id":"<new>"',
    ),
  );

for (const resource of resources) {
  for (const { name, items } of resource.cases) {
    Deno.test(`set-based insert of ${resource.name} answers and stores as item by item: ${name}`, async () => {
      const results = [];
      for (const setBased of [false, true]) {
        const child = await t.createUser("child");
        const now = t.clock.now();
        await storeItems(t.db, resource.bulk(child.id, now), [resource.stored]);
        const { resource: bulk, calls } = counted(resource.bulk(child.id, now), setBased);
        const outcome = multiStatus(await storeItems(t.db, bulk, items));
        if (setBased) assertEquals(calls, { store: 0, insertMany: 1 });
        results.push({ outcome: masked(child.id, outcome), rows: await resource.rows(child.id) });
      }
      assertEquals(results[1], results[0]);
    });
  }
}

Deno.test("set-based insert: a failure other than a duplicate falls back to item by item", async () => {
  const child = await t.createUser("child");
  const now = t.clock.now();
  const { resource, calls } = counted(physicalActivityBulk(child.id, now), true);
  const failing: BulkResource<unknown> = {
    ...(resource as BulkResource<unknown>),
    insertMany: async (tx, items) => {
      await resource.insertMany!(tx, items as never);
      throw new Error("storage failed after writing");
    },
  };
  const outcome = multiStatus(
    await storeItems(t.db, failing, [activityBody(at(10)), activityBody(at(11))]),
  );
  assertEquals(outcome.success.length, 2);
  assertEquals(calls, { store: 2, insertMany: 1 });
  // Nothing of the failed attempt was kept: two rows, not four.
  assertEquals((await rowsOf(child.id)).length, 2);
});

Deno.test("(close the test database)", () => t.close());
