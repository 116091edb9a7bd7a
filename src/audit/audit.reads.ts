/**
 * Which reads the audit trail records (docs/audit.md). Every write (any method but GET
 * and HEAD) is recorded; a read is recorded when its answer can hold a child's data:
 * profile fields, tracking records, wearable data, or the export. Route ids are the
 * contract's (the permission table's `id`). Every authenticated read route must be in
 * exactly one of the two lists below (a test checks it), so a new route is classified
 * on purpose, never by default.
 */

/** Reads of a child's data: recorded. */
export const CHILD_DATA_READS: ReadonlySet<string> = new Set([
  // Child profiles: the list, one child, the NFC lookup.
  "AC5",
  "AC6",
  "AC7",
  // Views that embed child profiles: families (with their children), educators and
  // health professionals (with their groups), the groups themselves.
  "AC10",
  "AC11",
  "AC15",
  "AC16",
  "AC17",
  "AC21",
  "AC22",
  "AC26",
  "AC27",
  "AC28",
  "AC29",
  // Tracking records: activities, daily logs, sleep, weights, body fats.
  "TR2",
  "TR3",
  "TR6",
  "TR7",
  "TR10",
  "TR11",
  "TR16",
  "TR17",
  "TR18",
  "TR19",
  // Wearable authorization data and connection status of a child; the pending and failed
  // remote revocations (they name children).
  "FB3",
  "WS1",
  "GH2",
  // The right-of-access export, and the audit trail itself (it names children).
  "RA1",
  "AT1",
]);

/** Authenticated reads that hold no child's data: not recorded. */
export const OTHER_READS: ReadonlySet<string> = new Set([
  // Applications and institutions: no child fields.
  "AC35",
  "AC36",
  "AC39",
  "AC40",
  // An institution's environment readings (rooms, not children).
  "EN2",
  // The active wearable provider's client id.
  "FB1",
]);

/** True when a request with this method writes (everything but GET and HEAD). */
export function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}
