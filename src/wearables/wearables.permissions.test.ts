import { assertEquals } from "../../test/assert.ts";
import { startFitbitTestbed } from "../../test/fake-fitbit/setup.ts";
import { bodies } from "../../test/harness.ts";

/**
 * Who may call the Fitbit routes (gateway.md §1.6, R-FITBIT §3.2): every user type on
 * FB1–FB6, and the public callback FB7. A passing call gets the route's own answer for a
 * child without stored tokens.
 */
const bed = await startFitbitTestbed();
const { t } = bed;

const target = await t.login("child");
const otherChild = await t.login("child");
const admin = await t.login("admin");
const application = await t.login("application");
const educatorIn = await t.login("educator");
const educatorOut = await t.login("educator");
const hpIn = await t.login("healthprofessional");
const hpOut = await t.login("healthprofessional");
const familyIn = await t.login("family");
const familyOut = await t.login("family");
await t.createGroup(educatorIn.id, [target.id]);
await t.createGroup(hpIn.id, [target.id]);
await t.createGroup(educatorOut.id, [otherChild.id]);
await t.linkFamily(familyIn.id, [target.id]);
await t.linkFamily(familyOut.id, [otherChild.id]);

interface Route {
  id: string;
  method: string;
  path: (userId: string) => string;
  body?: unknown;
  /** Status when access is granted (no tokens stored). */
  pass: number;
}

const routes: Route[] = [
  { id: "FB2", method: "POST", path: (u) => `/v1/users/${u}/fitbit/auth`, body: {}, pass: 400 },
  { id: "FB3", method: "GET", path: (u) => `/v1/users/${u}/fitbit/auth`, pass: 404 },
  { id: "FB4", method: "POST", path: (u) => `/v1/users/${u}/fitbit/auth/revoke`, pass: 204 },
  { id: "FB5", method: "POST", path: (u) => `/v1/users/${u}/fitbit/sync`, pass: 400 },
  { id: "FB6", method: "POST", path: (u) => `/v1/users/${u}/fitbit/authorize`, pass: 200 },
];

const callers: [string, { token: string }, boolean][] = [
  ["admin (no external:sync)", admin, false],
  ["application", application, true],
  ["the child itself", target, true],
  ["another child", otherChild, false],
  ["educator of a group with the child", educatorIn, true],
  ["educator of other children", educatorOut, false],
  ["health professional of a group with the child", hpIn, true],
  ["health professional without it", hpOut, false],
  ["family associated with the child", familyIn, true],
  ["family of other children", familyOut, false],
];

for (const route of routes) {
  for (const [name, caller, allowed] of callers) {
    Deno.test(`${route.id} ${route.method}: ${name} → ${allowed ? route.pass : 403}`, async () => {
      const res = await t.request(route.method, route.path(target.id), {
        token: caller.token,
        body: route.body,
      });
      assertEquals(res.status, allowed ? route.pass : 403);
      if (!allowed) assertEquals(await res.json(), bodies.forbidden);
      else await res.body?.cancel();
    });
  }

  Deno.test(`${route.id} ${route.method}: no token → 401`, async () => {
    const res = await t.request(route.method, route.path(target.id), { body: route.body });
    assertEquals(res.status, 401);
    assertEquals(await res.json(), bodies.noToken);
  });

  Deno.test(`${route.id} ${route.method}: malformed id → the generic id error, before ownership`, async () => {
    const res = await t.request(route.method, route.path("123"), {
      token: familyOut.token,
      body: route.body,
    });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), {
      code: 400,
      message: "Some ID provided does not have a valid format!",
      description: "A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.",
    });
  });

  Deno.test(`${route.id} ${route.method}: a user that is not a child → no registered Child`, async () => {
    const res = await t.request(route.method, route.path(educatorIn.id), {
      token: application.token,
      body: route.body,
    });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), {
      code: 400,
      message: `There is no registered Child with ID: ${educatorIn.id} on the platform!`,
      description: "Please register the Child and try again...",
    });
  });

  Deno.test(`${route.id} ${route.method}: a child naming another id gets 403 before the existence check`, async () => {
    const res = await t.request(route.method, route.path("507f191e810c19729de860ea"), {
      token: target.token,
      body: route.body,
    });
    assertEquals(res.status, 403);
    await res.body?.cancel();
  });
}

for (const [name, caller, _] of callers) {
  const allowed = name !== "admin (no external:sync)";
  Deno.test(`FB1 GET /v1/fitbit: ${name} → ${allowed ? 200 : 403}`, async () => {
    const res = await t.request("GET", "/v1/fitbit", { token: caller.token });
    assertEquals(res.status, allowed ? 200 : 403);
    await res.body?.cancel();
  });
}

Deno.test("FB7 GET /v1/fitbit/callback is public (no token needed; an unknown state is refused)", async () => {
  const res = await t.request("GET", "/v1/fitbit/callback?state=unknown&code=x");
  assertEquals(res.status, 400);
  assertEquals(res.headers.get("Content-Type"), "text/html; charset=UTF-8");
  await res.body?.cancel();
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
