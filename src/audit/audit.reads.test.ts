import { permissions } from "../access/permissions.ts";
import { assertEquals } from "../../test/assert.ts";
import { CHILD_DATA_READS, OTHER_READS } from "./audit.reads.ts";

// Every authenticated read route is classified on purpose: a new route that reads a
// child's data cannot slip past the audit trail by being forgotten.
const reads = Object.entries(permissions)
  .filter(([key, permission]) => key.startsWith("GET ") && permission.scopes !== "public")
  .map(([, permission]) => permission.id);
const ids = new Set(Object.values(permissions).map((permission) => permission.id));

Deno.test("audit reads: every authenticated read route is in exactly one list", () => {
  const unclassified = reads.filter((id) =>
    Number(CHILD_DATA_READS.has(id)) + Number(OTHER_READS.has(id)) !== 1
  );
  assertEquals(unclassified, []);
});

Deno.test("audit reads: every listed id is a route of the permission table", () => {
  assertEquals([...CHILD_DATA_READS, ...OTHER_READS].filter((id) => !ids.has(id)), []);
});

Deno.test("audit reads: every read naming a child in its path is recorded", () => {
  const naming = Object.entries(permissions)
    .filter(([key]) => key.startsWith("GET ") && /:child_id|\/fitbit\/auth/.test(key))
    .map(([, permission]) => permission.id);
  assertEquals(naming.filter((id) => !CHILD_DATA_READS.has(id)), []);
});
