import { endpointKey } from "../src/api/mount.ts";
import { dashboardEndpoints } from "../src/dashboard/dashboard.routes.ts";
import { ENDPOINTS } from "../src/domains.ts";
import { assertEquals } from "./assert.ts";
import { bodies, startTestApp } from "./harness.ts";

// The endpoint definitions and the app's routes must describe the same set of routes: a
// route without a definition would be refused, a definition without a route would
// document nothing.
const t = await startTestApp();
const routes = new Set(
  t.app.routes.filter((r) => r.method !== "ALL").map((r) => endpointKey(r.method, r.path)),
);
const pages = dashboardEndpoints(() => t.app); // the web dashboard's, beside the API's
const defined = new Set([...ENDPOINTS, ...pages].map((e) => endpointKey(e.method, e.path)));

Deno.test("every route the app answers has a definition", () => {
  assertEquals([...routes].filter((route) => !defined.has(route)), []);
});

Deno.test("every definition belongs to a route the app answers", () => {
  assertEquals([...defined].filter((key) => !routes.has(key)), []);
});

Deno.test("contract ids and operation ids are unique", () => {
  for (const ids of [ENDPOINTS.map((e) => e.id), ENDPOINTS.map((e) => e.operationId)]) {
    assertEquals(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  }
});

Deno.test("a route registered without a definition is refused, even with a valid token", async () => {
  const admin = await t.login("admin");
  t.app.get("/v1/undefined-route", (c) => c.json({ leaked: true }));
  const res = await t.request("GET", "/v1/undefined-route", { token: admin.token });
  assertEquals(res.status, 403);
  assertEquals(await res.json(), bodies.forbidden);
});

Deno.test("the literal /v1/children/nfc/… route answers before a child-id route of the same shape", async () => {
  const admin = await t.login("admin");
  // `nfc` is never a child id: the NFC lookup of the tag "weights" answers, not the weights list.
  const res = await t.request("GET", "/v1/children/nfc/weights", { token: admin.token });
  assertEquals(res.status, 404);
  assertEquals(await res.json(), bodies.notFound("Child"));
});

Deno.test("(close the test database)", () => t.close());
