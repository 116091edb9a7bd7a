import { assertEquals } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import { auditLog } from "../db/schema/index.ts";
import type { AuditEntry } from "./audit.store.ts";

// GET /v1/audit: admins only, filters, paging with X-Total-Count, a validated query.
const t = await startTestApp();
const admin = await t.login("admin");
const [userA, userB] = ["6b0000000000000000000001", "6b0000000000000000000002"];
const [childA, childB] = ["6c0000000000000000000001", "6c0000000000000000000002"];
const DAY = 86_400_000;
const base = Date.parse("2025-03-01T00:00:00Z");

// 30 rows on 30 days: user A on even days, B on odd; child A for days < 20; TR2 and TR10.
const seeded: AuditEntry[] = Array.from({ length: 30 }, (_, day) => ({
  at: base + day * DAY,
  userId: day % 2 === 0 ? userA : userB,
  userType: "educator",
  method: "GET",
  routeId: day % 3 === 0 ? "TR10" : "TR2",
  path: `/v1/children/${day < 20 ? childA : childB}/physicalactivities`,
  status: 200,
  childId: day < 20 ? childA : childB,
  requestId: `seed-${day}`,
}));
await t.db.insert(auditLog).values(seeded);

/** The admin's list answer: status, total header and the request ids in order. */
async function list(query: string, token = admin.token) {
  const res = await t.request("GET", `/v1/audit${query}`, { token });
  const body = await res.json();
  return {
    status: res.status,
    total: res.headers.get("X-Total-Count"),
    ids: res.status === 200 ? body.map((row: { request_id: string }) => row.request_id) : body,
  };
}

const seedIds = (days: number[]) => days.map((day) => `seed-${day}`);
const days = (from: number, to: number, keep: (day: number) => boolean = () => true) =>
  Array.from({ length: to - from + 1 }, (_, i) => to - i).filter(keep);

Deno.test("GET /v1/audit: one row as listed", async () => {
  const res = await t.request("GET", `/v1/audit?user=${userA}&limit=1`, { token: admin.token });
  assertEquals(await res.json(), [{
    id: 29,
    time: "2025-03-29T00:00:00.000Z",
    user_id: userA,
    user_type: "educator",
    method: "GET",
    route_id: "TR2",
    path: `/v1/children/${childB}/physicalactivities`,
    status: 200,
    child_id: childB,
    request_id: "seed-28",
  }]);
});

const filters: { query: string; expected: number[] }[] = [
  { query: `?user=${userA}`, expected: days(0, 29, (d) => d % 2 === 0) },
  { query: `?user=${userB.toUpperCase()}`, expected: days(0, 29, (d) => d % 2 === 1) },
  { query: `?child=${childB}`, expected: days(20, 29) },
  { query: "?route=TR10", expected: days(0, 29, (d) => d % 3 === 0) },
  // Bounded above: this file's own reads of the list are recorded too, with today's time.
  { query: "?from=2025-03-25T00:00:00Z&to=2025-12-31", expected: days(24, 29) },
  { query: "?to=2025-03-03", expected: days(0, 2) },
  { query: "?from=2025-03-02&to=2025-03-04", expected: days(1, 3) },
  { query: "?from=2025-03-10T00:00:00.001Z&to=2025-03-12T00:00:00Z", expected: days(10, 11) },
  {
    query: `?user=${userA}&child=${childA}&route=TR2&from=2025-03-05`,
    expected: days(4, 19, (d) => d % 2 === 0 && d % 3 !== 0),
  },
  { query: `?user=${childA}`, expected: [] },
];

for (const { query, expected } of filters) {
  Deno.test(`GET /v1/audit${query}: the matching rows, newest first, and their total`, async () => {
    const answer = await list(`${query}${query ? "&" : "?"}limit=1000`);
    assertEquals(answer, {
      status: 200,
      total: String(expected.length),
      ids: seedIds(expected),
    });
  });
}

Deno.test("GET /v1/audit: pages with page and limit; the total counts every match", async () => {
  const pages = await Promise.all(
    [1, 2, 3, 4].map((page) => list(`?user=${userB}&limit=4&page=${page}`)),
  );
  const all = days(0, 29, (d) => d % 2 === 1);
  assertEquals(pages, [
    { status: 200, total: "15", ids: seedIds(all.slice(0, 4)) },
    { status: 200, total: "15", ids: seedIds(all.slice(4, 8)) },
    { status: 200, total: "15", ids: seedIds(all.slice(8, 12)) },
    { status: 200, total: "15", ids: seedIds(all.slice(12, 15)) },
  ]);
});

for (const type of ["application", "child", "educator", "family", "healthprofessional"] as const) {
  Deno.test(`GET /v1/audit: refused to ${type} users (403)`, async () => {
    const user = await t.login(type);
    assertEquals(await list("", user.token), { status: 403, total: null, ids: bodies.forbidden });
  });
}

Deno.test("GET /v1/audit: without a token, 401", async () => {
  const res = await t.request("GET", "/v1/audit");
  assertEquals([res.status, await res.json()], [401, bodies.noToken]);
});

const invalidField = (description: string) => bodies.invalid(description);
const onlyKeys = invalidField(
  "The audit list accepts only these query parameters: user, child, route, from, to, page, limit.",
);
const rejected: { query: string; body: unknown }[] = [
  { query: "?user=nothex", body: bodies.badParam("user") },
  { query: "?child=123", body: bodies.badParam("child") },
  {
    query: "?route=XX9",
    body: invalidField("route must be the id of a route of this API, such as TR2 or AC6."),
  },
  {
    query: "?from=yesterday",
    body: {
      code: 400,
      message: "Datetime: yesterday, is not in valid ISO 8601 format.",
      description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
    },
  },
  {
    query: "?to=2025-02-30",
    body: { code: 400, message: "Date: 2025-02-30, is not in valid ISO 8601 format." },
  },
  { query: "?from=2025-03-05&to=2025-03-04", body: invalidField("from must not be after to.") },
  { query: "?page=0", body: invalidField("page must be an integer from 1 to 1000000000.") },
  { query: "?page=-1", body: invalidField("page must be an integer from 1 to 1000000000.") },
  { query: "?limit=1001", body: invalidField("limit must be an integer from 1 to 1000.") },
  { query: "?limit=abc", body: invalidField("limit must be an integer from 1 to 1000.") },
  { query: `?user=${userA}&user=${userB}`, body: invalidField("user may be given only once.") },
  { query: "?sort=-time", body: onlyKeys },
  { query: "?constructor=x", body: onlyKeys },
  { query: "?__proto__=x", body: onlyKeys },
  { query: "?toString=1&route=TR2", body: onlyKeys },
];

for (const { query, body } of rejected) {
  Deno.test(`GET /v1/audit${query}: 400 with the envelope`, async () => {
    assertEquals(await list(query), { status: 400, total: null, ids: body });
  });
}

for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
  Deno.test(`${method} /v1/audit: no such route (the trail is append-only)`, async () => {
    const res = await t.request(method, "/v1/audit", { token: admin.token, body: {} });
    assertEquals(res.status, 404);
    await res.body?.cancel();
  });
}

Deno.test("(close the test database)", () => t.close());
