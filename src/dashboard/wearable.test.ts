import { assertEquals } from "../../test/assert.ts";
import type { WearableStatus } from "../wearables/wearables.schemas.ts";
import type { ChildData, WearableState } from "./child-data.ts";
import type { Session } from "./session.ts";
import { wearablePanel } from "./wearable.ts";

// The wearable panel from WS1's answer (GET /v1/users/:id/wearable), one case per state:
// what it says about provider, status, last sync, a failed attempt and a device without data.

const session: Session = { token: "t", userId: "f", type: "family", name: "f", csrf: "c" };
const CHILD = "0123456789abcdef01234567";
const connected: WearableStatus = {
  provider: "google_health",
  status: "valid_token",
  connected_at: "2026-03-01T08:00:00.000Z",
  last_sync: "2026-03-10T12:00:00.000Z",
  last_sync_outcome: "ok",
  last_sync_outcome_at: "2026-03-10T12:00:00.000Z",
  no_data: false,
};

/** The panel's facts and notices as text, `dt: dd` per line, then the buttons. */
function panelOf(wearable: WearableState, profile: Partial<ChildData["profile"]> = {}) {
  const markup = wearablePanel(session, {
    profile: { id: CHILD, username: "ana", ...profile },
    wearable,
  } as ChildData).text;
  const facts = [...markup.matchAll(/<dt>([^<]*)<\/dt>\s*<dd[^>]*>([^<]*)<\/dd>/g)]
    .map(([, dt, dd]) => `${dt}: ${dd}`);
  const notice = markup.match(/<strong>([^<]*)<\/strong>/)?.[1];
  const buttons = [...markup.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map(([, b]) => b);
  return { facts, notice, buttons };
}

const manageable = (connection: WearableStatus): WearableState => ({
  manageable: true,
  connection,
  activeProvider: "google_health",
  connectable: true,
});

const cases: [string, WearableState, Partial<ChildData["profile"]>, ReturnType<typeof panelOf>][] =
  [
    [
      "connected, synced with data",
      manageable(connected),
      {},
      {
        facts: [
          "Provider: Google Health",
          "Status: Connected",
          "Last sync: 10 Mar 2026, 12:00 UTC",
        ],
        notice: undefined,
        buttons: ["Sync now", "Disconnect"],
      },
    ],
    [
      "connected, the device sends no data",
      manageable({ ...connected, last_sync_outcome: "no_data", no_data: true }),
      {},
      {
        facts: [
          "Provider: Google Health",
          "Status: Connected",
          "Last sync: 10 Mar 2026, 12:00 UTC",
        ],
        notice: "No data from this device.",
        buttons: ["Sync now", "Disconnect"],
      },
    ],
    [
      "a later sync failed: the last attempt is said, the earlier sync and no data kept",
      manageable({
        ...connected,
        provider: "fitbit",
        last_sync_outcome: "unavailable",
        last_sync_outcome_at: "2026-03-10T13:00:00.000Z",
        no_data: true,
      }),
      {},
      {
        facts: [
          "Provider: Fitbit",
          "Status: Connected",
          "Last sync: 10 Mar 2026, 12:00 UTC",
          "Last attempt: Failed: the provider could not be reached (10 Mar 2026, 13:00 UTC)",
        ],
        notice: "No data from this device.",
        buttons: ["Sync now", "Disconnect"],
      },
    ],
    [
      "connected, never synced",
      manageable({ ...connected, last_sync: null, last_sync_outcome: null }),
      {},
      {
        facts: ["Provider: Google Health", "Status: Connected", "Last sync: Never"],
        notice: undefined,
        buttons: ["Sync now", "Disconnect"],
      },
    ],
    [
      "not connected: the provider a connection would use, and its button",
      manageable({
        ...connected,
        provider: null,
        status: "none",
        last_sync: null,
        last_sync_outcome: null,
        last_sync_outcome_at: null,
      }),
      // The profile's child-wide last sync is not the (gone) connection's.
      { last_sync: "2026-03-01T00:00:00.000Z" },
      {
        facts: ["Provider: Google Health", "Status: Not connected", "Last sync: Never"],
        notice: undefined,
        buttons: ["Connect Google Health"],
      },
    ],
    [
      "not manageable (an admin): the profile's status and last sync, no buttons",
      { manageable: false, connectable: true, activeProvider: "google_health" },
      { fitbit_status: "valid_token", last_sync: "2026-03-09T07:30:00.000Z" },
      {
        facts: ["Provider: Google Health", "Status: Connected", "Last sync: 9 Mar 2026, 07:30 UTC"],
        notice: undefined,
        buttons: [],
      },
    ],
  ];

for (const [name, wearable, profile, expected] of cases) {
  Deno.test(`wearable panel: ${name}`, () => {
    assertEquals(panelOf(wearable, profile), expected);
  });
}
