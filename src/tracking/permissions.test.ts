import { assertEquals } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import type { UserType } from "../auth/scopes.ts";
import { newId } from "../core/ids.ts";
import {
  activityBody,
  bodyFatBody,
  environmentBody,
  nextInstant,
  send,
  sleepBody,
  weightBody,
} from "./testing.ts";

/**
 * The permission decision of every user type on every tracking route (gateway.md §1.4,
 * §1.5, §3.2; tracking.md §1.10), for the caller's own / associated / in-group child,
 * another child, and a child that does not exist.
 */

const t = await startTestApp();
const types: UserType[] = [
  "admin",
  "application",
  "child",
  "educator",
  "family",
  "healthprofessional",
];

// "own" is the child caller itself, the family's child and the child in the groups of
// the educator and of the health professional. "other" is related to no caller.
const own = await t.login("child");
const other = await t.createUser("child");
const missing = "5f0000000000000000000abc";
const callers = {} as Record<UserType, { id: string; token: string }>;
for (const type of types) callers[type] = type === "child" ? own : await t.login(type);
await t.linkFamily(callers.family.id, [own.id]);
await t.createGroup(callers.educator.id, [own.id]);
await t.createGroup(callers.healthprofessional.id, [own.id]);
// Groups and families of the same callers that do not hold "other".
await t.createGroup(callers.educator.id, [], "empty group");
await t.linkFamily((await t.createUser("family")).id, [other.id]);

const institution = await t.createInstitution();
const anotherInstitution = await t.createInstitution();

/** One stored record of each kind per child, for the by-id reads. */
const app = callers.application.token;
const records: Record<string, Record<string, string>> = {};
for (const kid of [own.id, other.id]) {
  const path = `/v1/children/${kid}`;
  records[kid] = {
    physicalactivity:
      (await send(t, "POST", `${path}/physicalactivities`, app, activityBody(nextInstant()))).body
        .id,
    sleep: (await send(t, "POST", `${path}/sleep`, app, sleepBody(nextInstant()))).body.id,
    weight: (await send(t, "POST", `${path}/weights`, app, weightBody(nextInstant()))).body.id,
    bodyfat: (await send(t, "POST", `${path}/bodyfats`, app, bodyFatBody(nextInstant()))).body.id,
  };
}
const recordOf = (kid: string, kind: string) => records[kid]?.[kind] ?? newId();

type Operation = "create" | "read" | "delete" | "patch";
interface ChildRoute {
  id: string;
  method: string;
  path: (kid: string) => string;
  body?: () => unknown;
  operation: Operation;
  success: number;
}

const child = (kid: string) => `/v1/children/${kid}`;
const childRoutes: ChildRoute[] = [
  {
    id: "TR1",
    method: "POST",
    path: (k) => `${child(k)}/physicalactivities`,
    body: () => activityBody(nextInstant()),
    operation: "create",
    success: 201,
  },
  {
    id: "TR2",
    method: "GET",
    path: (k) => `${child(k)}/physicalactivities`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR3",
    method: "GET",
    path: (k) => `${child(k)}/physicalactivities/${recordOf(k, "physicalactivity")}`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR4",
    method: "PATCH",
    path: (k) => `${child(k)}/physicalactivities/${recordOf(k, "physicalactivity")}`,
    body: () => ({ name: "x" }),
    operation: "patch",
    success: 405,
  },
  {
    id: "TR5",
    method: "DELETE",
    path: (k) => `${child(k)}/physicalactivities/${newId()}`,
    operation: "delete",
    success: 204,
  },
  {
    id: "TR6",
    method: "GET",
    path: (k) => `${child(k)}/logs/date/2019-01-01/2019-01-03`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR7",
    method: "GET",
    path: (k) => `${child(k)}/logs/steps/date/2019-01-01/2019-01-03`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR8",
    method: "POST",
    path: (k) => `${child(k)}/logs/steps`,
    body: () => [{ date: "2019-01-01", value: 10 }],
    operation: "create",
    success: 207,
  },
  {
    id: "TR9",
    method: "POST",
    path: (k) => `${child(k)}/sleep`,
    body: () => sleepBody(nextInstant()),
    operation: "create",
    success: 201,
  },
  { id: "TR10", method: "GET", path: (k) => `${child(k)}/sleep`, operation: "read", success: 200 },
  {
    id: "TR11",
    method: "GET",
    path: (k) => `${child(k)}/sleep/${recordOf(k, "sleep")}`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR12",
    method: "PATCH",
    path: (k) => `${child(k)}/sleep/${recordOf(k, "sleep")}`,
    body: () => ({}),
    operation: "patch",
    success: 405,
  },
  {
    id: "TR13",
    method: "DELETE",
    path: (k) => `${child(k)}/sleep/${newId()}`,
    operation: "delete",
    success: 204,
  },
  {
    id: "TR14",
    method: "POST",
    path: (k) => `${child(k)}/weights`,
    body: () => weightBody(nextInstant(), 10),
    operation: "create",
    success: 201,
  },
  {
    id: "TR15",
    method: "POST",
    path: (k) => `${child(k)}/bodyfats`,
    body: () => bodyFatBody(nextInstant()),
    operation: "create",
    success: 201,
  },
  {
    id: "TR16",
    method: "GET",
    path: (k) => `${child(k)}/weights`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR17",
    method: "GET",
    path: (k) => `${child(k)}/bodyfats`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR18",
    method: "GET",
    path: (k) => `${child(k)}/weights/${recordOf(k, "weight")}`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR19",
    method: "GET",
    path: (k) => `${child(k)}/bodyfats/${recordOf(k, "bodyfat")}`,
    operation: "read",
    success: 200,
  },
  {
    id: "TR20",
    method: "DELETE",
    path: (k) => `${child(k)}/weights/${newId()}`,
    operation: "delete",
    success: 204,
  },
  {
    id: "TR21",
    method: "DELETE",
    path: (k) => `${child(k)}/bodyfats/${newId()}`,
    operation: "delete",
    success: 204,
  },
];

type Target = "own" | "other" | "missing";
type Outcome = "ok" | 403 | 400;

/**
 * tracking.md §1.10: who may act on which child. A child is refused another id before
 * the existence check; the others learn that a child does not exist (400).
 */
const decisions: Record<Operation, Record<UserType, Record<Target, Outcome>>> = {
  create: {
    admin: { own: 403, other: 403, missing: 403 },
    application: { own: "ok", other: "ok", missing: 400 },
    child: { own: "ok", other: 403, missing: 403 },
    educator: { own: "ok", other: 403, missing: 400 },
    family: { own: "ok", other: 403, missing: 400 },
    healthprofessional: { own: 403, other: 403, missing: 403 },
  },
  read: {
    admin: { own: "ok", other: "ok", missing: 400 },
    application: { own: "ok", other: "ok", missing: 400 },
    child: { own: "ok", other: 403, missing: 403 },
    educator: { own: "ok", other: 403, missing: 400 },
    family: { own: "ok", other: 403, missing: 400 },
    healthprofessional: { own: "ok", other: 403, missing: 400 },
  },
  delete: {
    admin: { own: 403, other: 403, missing: 403 },
    application: { own: "ok", other: "ok", missing: 400 },
    child: { own: 403, other: 403, missing: 403 },
    educator: { own: "ok", other: 403, missing: 400 },
    family: { own: "ok", other: 403, missing: 400 },
    healthprofessional: { own: 403, other: 403, missing: 403 },
  },
  // No ownership rule: every holder of the update scope gets the service's 405.
  patch: {
    admin: { own: 403, other: 403, missing: 403 },
    application: { own: "ok", other: "ok", missing: "ok" },
    child: { own: 403, other: 403, missing: 403 },
    educator: { own: "ok", other: "ok", missing: "ok" },
    family: { own: "ok", other: "ok", missing: "ok" },
    healthprofessional: { own: 403, other: 403, missing: 403 },
  },
};

const targets: Record<Target, string> = { own: own.id, other: other.id, missing };
const noSuchChild = {
  code: 400,
  message: `There is no registered Child with ID: ${missing} on the platform!`,
  description: "Please register the Child and try again...",
};

for (const route of childRoutes) {
  for (const type of types) {
    for (const target of ["own", "other", "missing"] as Target[]) {
      const outcome = decisions[route.operation][type][target];
      const expected = outcome === "ok" ? route.success : outcome;
      Deno.test(`permission ${route.id} ${route.method}: ${type} on ${target} child → ${expected}`, async () => {
        const res = await send(
          t,
          route.method,
          route.path(targets[target]),
          callers[type].token,
          route.body?.(),
        );
        assertEquals(res.status, expected);
        if (outcome === 403) assertEquals(res.body, bodies.forbidden);
        if (outcome === 400) assertEquals(res.body, noSuchChild);
        if (route.success === 207 && outcome === "ok") assertEquals(res.body.success.length, 1);
      });
    }
  }
  Deno.test(`permission ${route.id} ${route.method}: no token → 401`, async () => {
    const res = await send(t, route.method, route.path(own.id), undefined, route.body?.());
    assertEquals([res.status, res.body], [401, bodies.noToken]);
  });
}

interface InstitutionRoute {
  id: string;
  method: string;
  path: (inst: string) => string;
  body?: () => unknown;
  holders: UserType[];
  success: number;
}

const environments = (inst: string) => `/v1/institutions/${inst}/environments`;
const institutionRoutes: InstitutionRoute[] = [
  {
    id: "EN1",
    method: "POST",
    path: environments,
    body: () => environmentBody(nextInstant()),
    holders: ["application"],
    success: 201,
  },
  { id: "EN2", method: "GET", path: environments, holders: types, success: 200 },
  { id: "EN3", method: "DELETE", path: environments, holders: ["application"], success: 204 },
  {
    id: "EN4",
    method: "DELETE",
    path: (i) => `${environments(i)}/${newId()}`,
    holders: ["application"],
    success: 204,
  },
];
const noSuchInstitution = {
  code: 400,
  message: `There is no registered Institution with ID: ${missing} on the platform!`,
  description: "Please register the Institution and try again...",
};
const institutionTargets = {
  "an": institution.id,
  "another": anotherInstitution.id,
  "a missing": missing,
};

for (const route of institutionRoutes) {
  for (const type of types) {
    for (const [target, id] of Object.entries(institutionTargets)) {
      const holds = route.holders.includes(type);
      const expected = !holds ? 403 : target === "a missing" ? 400 : route.success;
      Deno.test(`permission ${route.id} ${route.method}: ${type} on ${target} institution → ${expected}`, async () => {
        const res = await send(
          t,
          route.method,
          route.path(id),
          callers[type].token,
          route.body?.(),
        );
        assertEquals(res.status, expected);
        if (expected === 403) assertEquals(res.body, bodies.forbidden);
        if (expected === 400) assertEquals(res.body, noSuchInstitution);
      });
    }
  }
  Deno.test(`permission ${route.id} ${route.method}: no token → 401`, async () => {
    const res = await send(t, route.method, route.path(institution.id), undefined, route.body?.());
    assertEquals([res.status, res.body], [401, bodies.noToken]);
  });
}

Deno.test("permission: a malformed child id answers the route's 400 before ownership, even to a child", async () => {
  const res = await send(t, "GET", "/v1/children/123/physicalactivities", own.token);
  assertEquals([res.status, res.body], [400, bodies.badParam("child_id")]);
  // The log POST reports it per item; ownership did not run.
  const logs = await send(t, "POST", "/v1/children/123/logs/steps", own.token, [{
    date: "2019-01-01",
    value: 1,
  }]);
  assertEquals(logs.status, 207);
  assertEquals(logs.body.error[0].message, "Parameter {child_id} is not in valid format!");
  // A malformed body does not hide the 403 either.
  const forbidden = await t.request("POST", `/v1/children/${other.id}/sleep`, {
    token: own.token,
    raw: "{bad",
  });
  assertEquals([forbidden.status, await forbidden.json()], [403, bodies.forbidden]);
});

Deno.test("permission: HEAD runs the checks of GET (no total leaks for another child)", async () => {
  const refused = await t.request("HEAD", `/v1/children/${other.id}/weights`, { token: own.token });
  assertEquals([refused.status, refused.headers.get("X-Total-Count")], [403, null]);
  const allowed = await t.request("HEAD", `/v1/children/${own.id}/weights`, { token: own.token });
  assertEquals(allowed.status, 200);
  assertEquals(allowed.headers.get("X-Total-Count") !== null, true);
});

Deno.test("permission: a child in another owner's group, or a group of another type, is not in own groups", async () => {
  const educator = await t.login("educator");
  await t.createGroup(callers.healthprofessional.id, [other.id], "hp group");
  const res = await send(t, "GET", `/v1/children/${other.id}/sleep`, educator.token);
  assertEquals([res.status, res.body], [403, bodies.forbidden]);
  const hp = await send(
    t,
    "GET",
    `/v1/children/${other.id}/sleep`,
    callers.healthprofessional.token,
  );
  assertEquals(hp.status, 200);
});

Deno.test("permission: callers whose own record is gone get 400/403, never 500", async () => {
  const ghostChild = { id: "5f00000000000000000000aa", type: "child" as const };
  const self = await send(
    t,
    "GET",
    `/v1/children/${ghostChild.id}/sleep`,
    await t.tokenFor(ghostChild),
  );
  assertEquals(self.status, 400);
  const ghostFamily = { id: "5f00000000000000000000ab", type: "family" as const };
  const family = await send(
    t,
    "GET",
    `/v1/children/${own.id}/sleep`,
    await t.tokenFor(ghostFamily),
  );
  assertEquals([family.status, family.body], [403, bodies.forbidden]);
});

Deno.test("permission: an id of another user type is not a child", async () => {
  const res = await send(t, "GET", `/v1/children/${callers.educator.id}/sleep`, app);
  assertEquals(res.status, 400);
  assertEquals(
    res.body.message,
    `There is no registered Child with ID: ${callers.educator.id} on the platform!`,
  );
});

Deno.test("(close the test database)", () => t.close());
