import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import { SCOPES_BY_TYPE, USER_TYPES } from "../auth/scopes.ts";
import { users, wearableConnections } from "../db/schema/index.ts";
import {
  activityBody,
  bodyFatBody,
  nextInstant,
  send,
  sleepBody,
  weightBody,
} from "../tracking/testing.ts";
import { NOT_CONNECTED } from "../wearables/testing.ts";
import { EXPORT_FORMAT } from "./export.document.ts";
import { childExportSchema } from "./export.schema.ts";

// GET /v1/children/:child_id/export: who may export (as the child's tracking reads), and
// the document: the API's own shapes, no one else's data, never a token.
const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const child = await t.login("child", { institutionId: inst.id });
const sibling = await t.createUser("child", { institutionId: inst.id });
const family = await t.login("family", { institutionId: inst.id });
await t.linkFamily(family.id, [sibling.id, child.id]);
const educator = await t.login("educator", { institutionId: inst.id, username: "ms-frizzle" });
const groupId = await t.createGroup(educator.id, [sibling.id, child.id], "Class 4B");
const hp = await t.login("healthprofessional", { institutionId: inst.id, username: "dr-who" });
const hpGroupId = await t.createGroup(hp.id, [child.id], "Check-ups");
await send(t, "PATCH", `/v1/healthprofessionals/${hp.id}/children/groups/${hpGroupId}`, hp.token, {
  school_class: "4B",
});
const SEALED = "sealed-tokens-must-never-leave";
await t.db.insert(wearableConnections).values({
  childId: child.id,
  provider: "fitbit",
  externalUserId: "7QX9ZP",
  tokens: SEALED,
  scope: "activity sleep weight",
  expiresAt: t.clock.now() + 3_600_000,
  status: "valid_token",
  tokenVersion: 1,
  nextSyncAt: t.clock.now(),
  lastSync: Date.parse("2024-05-01T10:00:00Z"),
  lastSuccessAt: Date.parse("2024-05-01T10:00:00Z"),
  lastOutcome: "rate_limited",
  lastOutcomeAt: Date.parse("2024-05-02T10:00:00Z"),
  noData: true,
  createdAt: Date.parse("2024-04-01T10:00:00Z"),
  updatedAt: Date.parse("2024-05-02T10:00:00Z"),
});

const base = `/v1/children/${child.id}`;
const post = async (path: string, body: unknown) =>
  assertTrue([201, 207].includes((await send(t, "POST", path, child.token, body)).status));
await post(`${base}/physicalactivities`, [
  activityBody(nextInstant()),
  activityBody(nextInstant()),
]);
await post(`${base}/sleep`, sleepBody(nextInstant()));
await post(`${base}/weights`, weightBody(nextInstant(), 18.5));
await post(`${base}/bodyfats`, bodyFatBody(nextInstant(), 19.25));
await post(`${base}/logs/steps`, [
  { date: "2024-01-02", value: 3000 },
  { date: "2024-01-01", value: 2500 },
]);
await post(`${base}/logs/calories`, [{ date: "2024-01-01", value: 1800 }]);
// The sibling's records must not appear.
await send(t, "POST", `/v1/children/${sibling.id}/sleep`, admin.token, sleepBody(nextInstant()));

async function exported(token = child.token) {
  const res = await t.request("GET", `${base}/export`, { token });
  return { res, body: await res.json() };
}

/** An API list, oldest first as the export orders it (lists answer newest first). */
async function apiList(path: string) {
  const { body } = await send(t, "GET", `${base}/${path}?limit=1000`, admin.token);
  return body.reverse();
}

Deno.test("export: one JSON document with the account, links, wearable state and every record", async () => {
  const { res, body } = await exported();
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("Content-Type"), "application/json; charset=UTF-8");
  assertEquals(
    res.headers.get("Content-Disposition"),
    `attachment; filename="child-${child.id}.json"`,
  );
  assertEquals(res.headers.get("Cache-Control"), "no-store");
  assertEquals(Object.keys(body), [
    "format",
    "exported_at",
    "child",
    "wearable",
    "families",
    "groups",
    "physical_activities",
    "sleep",
    "weights",
    "body_fats",
    "logs",
  ]);
  assertEquals(body.format, EXPORT_FORMAT);
  assertEquals(body.exported_at, new Date(t.clock.now()).toISOString());
  assertEquals(body.child, (await send(t, "GET", base, admin.token)).body);
  assertEquals(body.wearable, {
    provider: "fitbit",
    status: "rate_limit",
    connected_at: "2024-04-01T10:00:00.000Z",
    last_sync: "2024-05-01T10:00:00.000Z",
    last_sync_outcome: "rate_limited",
    last_sync_outcome_at: "2024-05-02T10:00:00.000Z",
    no_data: true,
    scope: "activity sleep weight",
    external_user_id: "7QX9ZP",
    updated_at: "2024-05-02T10:00:00.000Z",
  });
  assertEquals(body.families, [{
    id: family.id,
    username: family.username,
    institution_id: inst.id,
  }]);
  assertEquals(body.groups, [{
    id: groupId,
    name: "Class 4B",
    owner: { id: educator.id, type: "educator", username: "ms-frizzle" },
  }, {
    id: hpGroupId,
    name: "Check-ups",
    school_class: "4B",
    owner: { id: hp.id, type: "healthprofessional", username: "dr-who" },
  }]);
});

Deno.test("export: the document matches its published schema", async () => {
  const { body } = await exported();
  assertEquals(childExportSchema.safeParse(body).error, undefined);
});

/** WS1's answer about a child, asked with a token that may read it. */
async function ws1(childId: string, token: string) {
  const { status, body } = await send(t, "GET", `/v1/users/${childId}/wearable`, token);
  assertEquals(status, 200);
  return body;
}

Deno.test("export: the wearable section holds all WS1 shows, plus scope, user id and update time", async () => {
  const { body } = await exported();
  const { scope, external_user_id, updated_at, ...shown } = body.wearable;
  assertEquals(shown, await ws1(child.id, child.token));
  assertEquals([scope, external_user_id, updated_at], [
    "activity sleep weight",
    "7QX9ZP",
    "2024-05-02T10:00:00.000Z",
  ]);
});

Deno.test("export: a child whose grant the provider withdrew shows it as WS1 does", async () => {
  const dropped = await t.login("child", { institutionId: inst.id });
  await t.db.update(users).set({ fitbitStatus: "invalid_grant" }).where(eq(users.id, dropped.id));
  const res = await t.request("GET", `/v1/children/${dropped.id}/export`, { token: admin.token });
  const { wearable } = await res.json();
  assertEquals(wearable, { ...NOT_CONNECTED, status: "invalid_grant" });
  assertEquals(wearable, await ws1(dropped.id, dropped.token));
});

Deno.test("export: tracking records are the API's own answers, oldest first", async () => {
  const { body } = await exported();
  assertEquals(body.physical_activities, await apiList("physicalactivities"));
  assertEquals(body.sleep, await apiList("sleep"));
  assertEquals(body.weights, await apiList("weights"));
  assertEquals(body.weights[0].body_fat, 18.5);
  assertEquals(body.body_fats, await apiList("bodyfats"));
  assertEquals(body.body_fats.length, 2);
  assertEquals(body.logs, {
    steps: [{ date: "2024-01-01", value: 2500 }, { date: "2024-01-02", value: 3000 }],
    calories: [{ date: "2024-01-01", value: 1800 }],
    active_minutes: [],
    lightly_active_minutes: [],
    sedentary_minutes: [],
  });
});

Deno.test("export: no other child's data and no token in the document", async () => {
  const { body } = await exported();
  const text = JSON.stringify(body);
  for (const absent of [sibling.id, sibling.username, SEALED, "access_token", "refresh_token"]) {
    assertTrue(!text.includes(absent), `${absent} is not exported`);
  }
});

Deno.test("export: a child with nothing stored gets empty sections", async () => {
  const quiet = await t.createUser("child", { institutionId: inst.id });
  const res = await t.request("GET", `/v1/children/${quiet.id}/export`, { token: admin.token });
  const body = await res.json();
  assertEquals({ ...body, exported_at: "", child: {} }, {
    format: EXPORT_FORMAT,
    exported_at: "",
    child: {},
    wearable: NOT_CONNECTED,
    families: [],
    groups: [],
    physical_activities: [],
    sleep: [],
    weights: [],
    body_fats: [],
    logs: {
      steps: [],
      calories: [],
      active_minutes: [],
      lightly_active_minutes: [],
      sedentary_minutes: [],
    },
  });
});

const outsider = {
  child: await t.login("child", { institutionId: inst.id }),
  family: await t.login("family", { institutionId: inst.id }),
  educator: await t.login("educator", { institutionId: inst.id }),
  healthprofessional: await t.login("healthprofessional", { institutionId: inst.id }),
  application: await t.login("application", { institutionId: inst.id }),
};

const access: { who: string; token: string; status: number }[] = [
  { who: "the child itself", token: child.token, status: 200 },
  { who: "its family", token: family.token, status: 200 },
  { who: "an educator with it in a group", token: educator.token, status: 200 },
  { who: "a health professional with it in a group", token: hp.token, status: 200 },
  { who: "an admin", token: admin.token, status: 200 },
  { who: "another child", token: outsider.child.token, status: 403 },
  { who: "another family", token: outsider.family.token, status: 403 },
  { who: "an educator without it", token: outsider.educator.token, status: 403 },
  {
    who: "a health professional without it",
    token: outsider.healthprofessional.token,
    status: 403,
  },
  { who: "an application (no child profiles)", token: outsider.application.token, status: 403 },
];

for (const { who, token, status } of access) {
  Deno.test(`export: ${who} → ${status}`, async () => {
    const { res, body } = await exported(token);
    assertEquals(res.status, status);
    if (status === 403) assertEquals(body, bodies.forbidden);
    else assertEquals(body.child.id, child.id);
  });
}

const refused: { name: string; path: string; token?: string; status: number; body: unknown }[] = [
  {
    name: "an unknown child",
    path: "/v1/children/507f191e810c19729de860ea/export",
    token: admin.token,
    status: 400,
    body: {
      code: 400,
      message: "There is no registered Child with ID: 507f191e810c19729de860ea on the platform!",
      description: "Please register the Child and try again...",
    },
  },
  {
    name: "a malformed id",
    path: "/v1/children/123/export",
    token: admin.token,
    status: 400,
    body: bodies.badParam("child_id"),
  },
  { name: "no token", path: `${base}/export`, status: 401, body: bodies.noToken },
];

for (const c of refused) {
  Deno.test(`export: ${c.name} → ${c.status} envelope`, async () => {
    const res = await t.request("GET", c.path, { token: c.token });
    assertEquals([res.status, await res.json()], [c.status, c.body]);
  });
}

Deno.test("export: every type holding children:read also holds every tracking read scope", () => {
  const reads = ["physicalactivities:read", "sleep:read", "measurements:read"];
  const holders = USER_TYPES.filter((type) => SCOPES_BY_TYPE[type].includes("children:read"));
  assertEquals(
    holders.filter((type) => !reads.every((scope) => SCOPES_BY_TYPE[type].includes(scope))),
    [],
  );
});

Deno.test("(close the test database)", () => t.close());
