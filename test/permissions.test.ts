import { permissions } from "../src/access/permissions.ts";
import { assertEquals } from "./assert.ts";
import { startTestApp } from "./harness.ts";

// The permission table and the app's routes must describe the same set of routes: a route
// without a row would be refused, a row without a route would document nothing.
const t = await startTestApp();
const routes = new Set(
  t.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
);

Deno.test("every route the app answers has a permission row", () => {
  assertEquals([...routes].filter((route) => !(route in permissions)), []);
});

Deno.test("every permission row belongs to a route the app answers", () => {
  assertEquals(Object.keys(permissions).filter((key) => !routes.has(key)), []);
});

Deno.test("route ids in the table are unique", () => {
  const ids = Object.values(permissions).map((p) => p.id);
  assertEquals(ids.filter((id, i) => ids.indexOf(id) !== i), []);
});

Deno.test("(close the test database)", () => t.close());
