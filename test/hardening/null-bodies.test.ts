import { assertEquals } from "../assert.ts";
import { startTestApp } from "../harness.ts";
import { pathOf, populate, type Route, routesOf, tokenFor } from "./world.ts";

/**
 * Issue 10, finding 2: a JSON `null` (or any other top-level primitive) as the body of any
 * route that reads one answers a 400 in the contract's envelope (gateway.md §5.4), never a
 * 500. Each route is called as a caller it lets through.
 */

const t = await startTestApp();
const world = await populate(t);
const targets: { route: Route; token: string }[] = [];
for (const route of await routesOf(t)) {
  if (route.hasBody) targets.push({ route, token: await tokenFor(t, world, route) });
}

/** True for the envelope: a numeric code equal to the status, a message, nothing else. */
// deno-lint-ignore no-explicit-any
function isEnvelope(status: number, body: any): boolean {
  const keys = Object.keys(body ?? {}).filter((k) =>
    !["code", "message", "description"].includes(k)
  );
  return body?.code === status && typeof body.message === "string" && keys.length === 0;
}

for (const raw of ["null", "true", "0", '"text"']) {
  Deno.test(`body ${raw}: every body route answers a 400 envelope`, async () => {
    const wrong: string[] = [];
    for (const { route, token } of targets) {
      const res = await t.request(route.method, pathOf(route, world), { token, raw });
      const text = await res.text();
      const body = text === "" ? undefined : JSON.parse(text);
      if (res.status !== 400 || !isEnvelope(res.status, body)) {
        wrong.push(`${route.method} ${route.template}: ${res.status} ${text}`);
      }
    }
    assertEquals(wrong, []);
  });
}

Deno.test("body [null]: no body route answers 5xx (bulk routes report the item, 207)", async () => {
  const wrong: string[] = [];
  for (const { route, token } of targets) {
    const res = await t.request(route.method, pathOf(route, world), { token, raw: "[null]" });
    const text = await res.text();
    if (res.status >= 500) wrong.push(`${route.method} ${route.template}: ${res.status} ${text}`);
  }
  assertEquals(wrong, []);
});

Deno.test("the null body of the two routes that crashed answers the malformed-body envelope", async () => {
  const expected = {
    code: 400,
    message: "Unable to process request body!",
    description:
      "Please verify that the JSON provided in the request body has a valid format and try again.",
  };
  const token = world.tokens.admin;
  for (const path of ["/v1/children", `/v1/children/${world.params.child_id}`]) {
    const method = path === "/v1/children" ? "POST" : "PATCH";
    const res = await t.request(method, path, { token, raw: "null" });
    assertEquals([method, res.status, await res.json()], [method, 400, expected]);
  }
});

Deno.test("(close the test database)", () => t.close());
