/**
 * Tests only: the Fitbit adapter's test files share this setup: a fake Fitbit and the app
 * (test/fake-fitbit/setup.ts), the clock at the samples' "today" (2020-09-02, Recife), and
 * helpers for a child holding the contract's sample records.
 */
import { eq } from "drizzle-orm";
import { assertEquals } from "../../../../test/assert.ts";
import {
  activity,
  classicSleep,
  stagesSleep,
  weight,
} from "../../../../test/fake-fitbit/samples.ts";
import { connectedChild, startFitbitTestbed } from "../../../../test/fake-fitbit/setup.ts";
import { users } from "../../../db/schema/index.ts";
import { wearablePath } from "../../testing.ts";

/** The samples' time zone, as Fitbit's profile states it. */
export const RECIFE = { timezone: "America/Recife", offsetFromUTCMillis: -10_800_000 };

/** The samples' "today" (they are from 2020-09-01). */
export const TODAY = Date.parse("2020-09-02T12:00:00Z");

/** A Fitbit testbed for one test file, with its helpers. */
export async function fitbitSuite() {
  const bed = await startFitbitTestbed();
  const { t, fake } = bed;
  t.clock.time = TODAY;
  return {
    bed,
    t,
    fake,
    ingest: bed.ingest,
    application: await t.login("application"),
    path: wearablePath,
    /** The child's users row. */
    async childRow(id: string) {
      const [row] = await t.db.select().from(users).where(eq(users.id, id));
      return row;
    },
    /** A child connected to a Fitbit user holding the contract's sample records. */
    childWithData: (scopes?: string[]) =>
      connectedChild(bed, {
        scopes,
        user: {
          profile: RECIFE,
          activities: [activity()],
          sleep: [stagesSleep(), classicSleep()],
          weights: [weight()],
          series: {
            steps: { "2020-09-01": "8211" },
            minutesFairlyActive: { "2020-09-01": "8" },
            minutesVeryActive: { "2020-09-01": "7" },
          },
        },
      }),
    /** FB5 for the child; asserts 200 and returns the answer. */
    async syncOf(child: { id: string; token: string }) {
      const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
      assertEquals(res.status, 200);
      return await res.json();
    },
    clearFaults: () => void (fake.faults = []),
  };
}
