import { assertEquals } from "../../test/assert.ts";
import { ENDPOINTS } from "../domains.ts";
import { CHILD_DATA_READS, OTHER_READS } from "./audit.reads.ts";

// Every authenticated read route is classified on purpose: a new route that reads a
// child's data cannot slip past the audit trail by being forgotten.
const reads = ENDPOINTS
  .filter((endpoint) => endpoint.method === "GET" && endpoint.access.scopes !== "public")
  .map((endpoint) => endpoint.id);
const ids = new Set(ENDPOINTS.map((endpoint) => endpoint.id));

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
  const naming = ENDPOINTS
    .filter((e) => e.method === "GET" && /:child_id|\/fitbit\/auth/.test(e.path))
    .map((endpoint) => endpoint.id);
  assertEquals(naming.filter((id) => !CHILD_DATA_READS.has(id)), []);
});
