import { assertEquals } from "../assert.ts";
import { BUILT_IN_NAMES } from "../builtin-names.ts";
import { startTestApp } from "../harness.ts";
import { pathOf, populate, type Route, routesOf, tokenFor } from "./world.ts";

/**
 * Issue 10, finding 1: keys named like members of every JavaScript object must never be
 * looked up on an ordinary object. Each name is sent as a query filter, as a sort field,
 * as a body key and as a header name to every route of the API reference (deletes aside),
 * each as a caller the route lets through; no answer is a 5xx.
 */

const t = await startTestApp();
const world = await populate(t);
const targets: { route: Route; token: string }[] = [];
for (const route of await routesOf(t)) {
  if (route.method !== "DELETE") targets.push({ route, token: await tokenFor(t, world, route) });
}

/** Every answer of 500 or more, as `METHOD path: status body`. */
async function serverErrors(
  only: (route: Route) => boolean,
  send: (route: Route, token: string) => Promise<Response>,
  label = "",
): Promise<string[]> {
  const failures: string[] = [];
  for (const { route, token } of targets.filter(({ route }) => only(route))) {
    const res = await send(route, token);
    const text = await res.text();
    if (res.status >= 500) {
      failures.push(`${route.method} ${route.template}${label}: ${res.status} ${text}`);
    }
  }
  return failures;
}

const reads = (route: Route) => route.method === "GET";
const bodies = (route: Route) => route.hasBody;

Deno.test("built-in names: the sweep reaches the reads it means (lists answer 200)", async () => {
  const lists = ["/v1/children", "/v1/children/{child_id}/sleep", "/v1/institutions"];
  for (const { route, token } of targets.filter(({ route }) => lists.includes(route.template))) {
    const res = await t.request("GET", pathOf(route, world), { token });
    assertEquals([route.template, res.status], [route.template, 200]);
    assertEquals((await res.json()).length > 0, true);
  }
});

const queries: { name: string; query: (key: string) => string }[] = [
  { name: "as a filter key", query: (key) => `${key}=x` },
  { name: "as a filter key with a comparison", query: (key) => `${key}=gte:1` },
  { name: "as a repeated filter key", query: (key) => `${key}=a&${key}=b` },
  { name: "as a sort field", query: (key) => `sort=${key}` },
  { name: "as a descending sort field", query: (key) => `sort=-${key}` },
];

for (const { name, query } of queries) {
  Deno.test(`built-in names ${name}: no list or by-id route answers 5xx`, async () => {
    const failures: string[] = [];
    for (const key of BUILT_IN_NAMES) {
      failures.push(
        ...await serverErrors(
          reads,
          (route, token) => t.request("GET", `${pathOf(route, world)}?${query(key)}`, { token }),
          ` ?${query(key)}`,
        ),
      );
    }
    assertEquals(failures, []);
  });
}

// Raw JSON, so `__proto__` is an own key of the parsed body, as a client would send it.
const members = BUILT_IN_NAMES.map((key) => `"${key}": {"x": 1}`).join(", ");
const hostileBodies = [
  { name: "an object", raw: `{${members}}` },
  { name: "an array of such objects", raw: `[{${members}}]` },
];

for (const { name, raw } of hostileBodies) {
  Deno.test(`built-in names as body keys of ${name}: no body route answers 5xx`, async () => {
    const failures = await serverErrors(
      bodies,
      (route, token) => t.request(route.method, pathOf(route, world), { token, raw }),
    );
    assertEquals(failures, []);
  });
}

Deno.test("built-in names as header names: no route answers 5xx", async () => {
  const headers = Object.fromEntries(BUILT_IN_NAMES.map((key) => [key, "x"]));
  const failures = await serverErrors(
    () => true,
    (route, token) => t.request(route.method, pathOf(route, world), { token, headers }),
  );
  assertEquals(failures, []);
});

Deno.test("(close the test database)", () => t.close());
