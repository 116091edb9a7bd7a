import { eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { wearableCallBudgets } from "../db/schema/index.ts";
import { connectionOf, providerBeds, wearablePath } from "./testing.ts";

// A rejected request changes nothing (issue 10 #3): submissions the provider refuses take
// nothing from the child's wearable budget, so they can never block its sync.

const beds = await providerBeds();
const REJECTED = 160;

for (const bed of beds) {
  const { t } = bed;
  const budgetOf = (childId: string) =>
    t.db.select().from(wearableCallBudgets).where(eq(wearableCallBudgets.childId, childId));

  Deno.test(`[${bed.id}] ${REJECTED} rejected submissions leave the child's budget and connection as they were; a sync still runs`, async () => {
    const { child } = await bed.connect();
    const { tokens: dead } = await bed.user();
    bed.revokeAtProvider(dead);
    const budget = await budgetOf(child.id);
    const connection = await connectionOf(t, child.id);
    bed.resetCalls();
    for (let i = 0; i < REJECTED; i++) {
      const res = await t.request("POST", wearablePath(child.id, "/auth"), {
        token: child.token,
        body: dead,
      });
      assertEquals(res.status, 400);
      await res.body?.cancel();
    }
    // Each was checked with the provider, and refused there.
    assertEquals(bed.calls("check"), REJECTED);
    assertEquals(await budgetOf(child.id), budget);
    assertEquals(await connectionOf(t, child.id), connection);
    const sync = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    assertEquals(sync.status, 200);
    await sync.body?.cancel();
  });

  Deno.test(`[${bed.id}] an accepted submission counts its provider calls in the child's budget`, async () => {
    const child = await t.login("child");
    const { tokens } = await bed.user();
    const res = await t.request("POST", wearablePath(child.id, "/auth"), {
      token: child.token,
      body: tokens,
    });
    assertEquals(res.status, 204);
    const [row] = await budgetOf(child.id);
    assertEquals(row.used, bed.id === "fitbit" ? 1 : 2);
  });
}

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
