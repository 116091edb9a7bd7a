/**
 * The permission decision of every user type on every account route (gateway.md §1.3,
 * AC1–AC37), on its own resource and on someone else's, plus the holes of gateway.md §3.6
 * that must stay closed (letter case, HEAD, NFC lookup) and the rewrite's decisions (a
 * caller whose own record is gone gets 403, ids are validated before ownership).
 * Institutions (AC38–AC42) are covered in institutions.test.ts.
 */
import { eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { bodies, FIXTURE_PASSWORD, startTestApp } from "../../test/harness.ts";
import { USER_TYPES, type UserType } from "../auth/scopes.ts";
import { users } from "../db/schema/index.ts";

const t = await startTestApp();
const inst = await t.createInstitution();
const callers = Object.fromEntries(
  await Promise.all(
    USER_TYPES.map(async (type) => [type, await t.login(type, { institutionId: inst.id })]),
  ),
) as Record<UserType, { id: string; token: string; username: string }>;

const child = (fields: Partial<typeof users.$inferInsert> = {}) =>
  t.createUser("child", { institutionId: inst.id, gender: "male", age: "2015-01-01", ...fields });
const ownTag = "04a22422dd6480";
const otherTag = "04a22422dd6481";
await t.db.update(users).set({ nfcTag: ownTag, gender: "male", age: "2015-01-01" })
  .where(eq(users.id, callers.child.id));
const otherChild = await child({ nfcTag: otherTag });
// The family caller's child is the child caller.
await t.linkFamily(callers.family.id, [callers.child.id]);
const other = {
  educator: await t.createUser("educator", { institutionId: inst.id }),
  healthprofessional: await t.createUser("healthprofessional", { institutionId: inst.id }),
  family: await t.createUser("family", { institutionId: inst.id }),
  application: await t.createUser("application", { applicationName: "Other" }),
};
const groupOf = (ownerId: string) => t.createGroup(ownerId, [callers.child.id]);
const fixed: Record<string, string> = {
  child: callers.child.id,
  otherChild: otherChild.id,
  educator: callers.educator.id,
  otherEducator: other.educator.id,
  hp: callers.healthprofessional.id,
  otherHp: other.healthprofessional.id,
  family: callers.family.id,
  otherFamily: other.family.id,
  application: callers.application.id,
  otherApplication: other.application.id,
  edGroup: await groupOf(callers.educator.id),
  hpGroup: await groupOf(callers.healthprofessional.id),
  otherEdGroup: await groupOf(other.educator.id),
  tag: ownTag,
  otherTag,
};
/** Placeholders made afresh for each request (the request consumes them). */
const fresh: Record<string, () => Promise<string>> = {
  newChild: async () => (await child()).id,
  newEdGroup: () => groupOf(callers.educator.id),
  newHpGroup: () => groupOf(callers.healthprofessional.id),
};

async function resolve(template: string, caller: UserType): Promise<string> {
  let path = template.replace("{self}", callers[caller].id);
  for (const [name, make] of Object.entries(fresh)) {
    if (path.includes(`{${name}}`)) path = path.replace(`{${name}}`, await make());
  }
  return path.replace(/\{(\w+)\}/g, (_, name) => fixed[name]);
}

const unique = () => crypto.randomUUID().slice(0, 8);
const bodiesFor: Record<string, () => unknown> = {
  child: () => ({
    username: `c-${unique()}`,
    password: "p",
    institution_id: inst.id,
    gender: "female",
    age: "2014-02-02",
  }),
  user: () => ({ username: `u-${unique()}`, password: "p", institution_id: inst.id }),
  family: () => ({
    username: `f-${unique()}`,
    password: "p",
    institution_id: inst.id,
    children: [otherChild.id],
  }),
  application: () => ({ username: `a-${unique()}`, password: "p", application_name: "App" }),
  group: () => ({ name: `g-${unique()}`, children: [callers.child.id] }),
  password: () => ({ old_password: FIXTURE_PASSWORD, new_password: FIXTURE_PASSWORD }),
  reset: () => ({ new_password: FIXTURE_PASSWORD }),
  empty: () => ({}),
};

/** `status` for the listed types, 403 for the others. */
function only(status: number, ...types: UserType[]): Record<UserType, number> {
  return Object.fromEntries(
    USER_TYPES.map((type) => [type, types.includes(type) ? status : 403]),
  ) as Record<UserType, number>;
}
const profileReaders = { admin: 200, application: 403, educator: 200, healthprofessional: 200 };

const decisions: [string, string | undefined, Record<UserType, number>][] = [
  // Users.
  ["DELETE /v1/users/{newChild}", undefined, only(204, "admin")],
  [
    "PUT /v1/users/{self}/password",
    "password",
    only(
      204,
      "admin",
      "educator",
      "family",
      "healthprofessional",
    ),
  ],
  ["PUT /v1/users/{otherEducator}/password", "password", only(204)],
  ["POST /v1/users/{otherChild}/reset-password", "reset", only(204, "admin")],
  // Children.
  ["POST /v1/children", "child", only(201, "admin")],
  ["GET /v1/children", undefined, only(200, "admin", "educator", "healthprofessional")],
  ["GET /v1/children/{child}", undefined, { ...profileReaders, child: 200, family: 200 }],
  ["GET /v1/children/{otherChild}", undefined, { ...profileReaders, child: 403, family: 403 }],
  ["GET /v1/children/nfc/{tag}", undefined, { ...profileReaders, child: 200, family: 200 }],
  ["GET /v1/children/nfc/{otherTag}", undefined, { ...profileReaders, child: 403, family: 403 }],
  ["PATCH /v1/children/{otherChild}", "empty", only(200, "admin")],
  ["PATCH /v1/children/{child}", "empty", only(200, "admin")],
  // Educators and health professionals.
  ["POST /v1/educators", "user", only(201, "admin")],
  ["GET /v1/educators", undefined, only(200, "admin")],
  ["GET /v1/educators/{educator}", undefined, only(200, "admin", "educator")],
  ["GET /v1/educators/{otherEducator}", undefined, only(200, "admin")],
  ["PATCH /v1/educators/{educator}", "empty", only(200, "admin", "educator")],
  ["PATCH /v1/educators/{otherEducator}", "empty", only(200, "admin")],
  ["POST /v1/healthprofessionals", "user", only(201, "admin")],
  ["GET /v1/healthprofessionals", undefined, only(200, "admin")],
  ["GET /v1/healthprofessionals/{hp}", undefined, only(200, "admin", "healthprofessional")],
  ["GET /v1/healthprofessionals/{otherHp}", undefined, only(200, "admin")],
  ["PATCH /v1/healthprofessionals/{hp}", "empty", only(200, "admin", "healthprofessional")],
  ["PATCH /v1/healthprofessionals/{otherHp}", "empty", only(200, "admin")],
  // Families.
  ["POST /v1/families", "family", only(201, "admin")],
  ["POST /v1/families/{otherFamily}/children/{otherChild}", undefined, only(200, "admin")],
  ["GET /v1/families", undefined, only(200, "admin")],
  ["GET /v1/families/{family}", undefined, only(200, "admin", "family")],
  ["GET /v1/families/{otherFamily}", undefined, only(200, "admin")],
  ["GET /v1/families/{family}/children", undefined, only(200, "admin", "family")],
  ["GET /v1/families/{otherFamily}/children", undefined, only(200, "admin")],
  ["PATCH /v1/families/{family}", "empty", only(200, "admin", "family")],
  ["PATCH /v1/families/{otherFamily}", "empty", only(200, "admin")],
  ["DELETE /v1/families/{otherFamily}/children/{otherChild}", undefined, only(204, "admin")],
  // Children groups: only the owner named in the path, of the path's type; never admin.
  ["POST /v1/educators/{educator}/children/groups", "group", only(201, "educator")],
  ["POST /v1/educators/{otherEducator}/children/groups", "group", only(201)],
  ["POST /v1/healthprofessionals/{hp}/children/groups", "group", only(201, "healthprofessional")],
  ["POST /v1/healthprofessionals/{otherHp}/children/groups", "group", only(201)],
  ["GET /v1/educators/{educator}/children/groups", undefined, only(200, "educator")],
  ["GET /v1/educators/{otherEducator}/children/groups", undefined, only(200)],
  ["GET /v1/educators/{educator}/children/groups/{edGroup}", undefined, only(200, "educator")],
  ["GET /v1/educators/{otherEducator}/children/groups/{otherEdGroup}", undefined, only(200)],
  ["GET /v1/healthprofessionals/{hp}/children/groups", undefined, only(200, "healthprofessional")],
  ["GET /v1/healthprofessionals/{otherHp}/children/groups", undefined, only(200)],
  [
    "GET /v1/healthprofessionals/{hp}/children/groups/{hpGroup}",
    undefined,
    only(
      200,
      "healthprofessional",
    ),
  ],
  ["PATCH /v1/educators/{educator}/children/groups/{edGroup}", "empty", only(200, "educator")],
  ["PATCH /v1/educators/{otherEducator}/children/groups/{otherEdGroup}", "empty", only(200)],
  [
    "PATCH /v1/healthprofessionals/{hp}/children/groups/{hpGroup}",
    "empty",
    only(
      200,
      "healthprofessional",
    ),
  ],
  [
    "DELETE /v1/educators/{educator}/children/groups/{newEdGroup}",
    undefined,
    only(
      204,
      "educator",
    ),
  ],
  ["DELETE /v1/educators/{otherEducator}/children/groups/{otherEdGroup}", undefined, only(204)],
  [
    "DELETE /v1/healthprofessionals/{hp}/children/groups/{newHpGroup}",
    undefined,
    only(
      204,
      "healthprofessional",
    ),
  ],
  // Applications.
  ["POST /v1/applications", "application", only(201, "admin")],
  ["GET /v1/applications", undefined, only(200, "admin")],
  ["GET /v1/applications/{application}", undefined, only(200, "admin", "application")],
  ["GET /v1/applications/{otherApplication}", undefined, only(200, "admin")],
  ["PATCH /v1/applications/{application}", "empty", only(200, "admin")],
  ["PATCH /v1/applications/{otherApplication}", "empty", only(200, "admin")],
];

for (const [route, bodyName, expected] of decisions) {
  for (const type of USER_TYPES) {
    Deno.test(`permission: ${type} ${route} → ${expected[type]}`, async () => {
      const [method, template] = route.split(" ");
      const path = await resolve(template, type);
      const body = bodyName ? bodiesFor[bodyName]() : undefined;
      const res = await t.request(method, path, { token: callers[type].token, body });
      assertEquals(res.status, expected[type]);
      if (res.status === 403) assertEquals(await res.json(), bodies.forbidden);
      else await res.body?.cancel();
    });
  }
}

Deno.test("permission: every account route answers 401 without a token", async () => {
  for (const [route] of decisions) {
    const [method, template] = route.split(" ");
    const res = await t.request(method, await resolve(template, "admin"));
    assertEquals(res.status, 401, route);
    assertEquals(await res.json(), bodies.noToken, route);
  }
});

Deno.test("ids are validated before ownership: a malformed id is the route's 400, never 403", async () => {
  const cases: [UserType, string, string, string][] = [
    ["child", "GET", "/v1/children/123", "child_id"],
    ["educator", "PUT", "/v1/users/123/password", "user_id"],
    ["educator", "POST", "/v1/educators/123/children/groups", "educator_id"],
    ["family", "GET", "/v1/families/123/children", "family_id"],
    ["application", "GET", "/v1/applications/zzz", "application_id"],
    [
      "healthprofessional",
      "GET",
      `/v1/healthprofessionals/${fixed.hp}/children/groups/1`,
      "group_id",
    ],
  ];
  for (const [type, method, path, param] of cases) {
    const body = method === "GET" ? undefined : {};
    const res = await t.request(method, path, { token: callers[type].token, body });
    assertEquals(res.status, 400, path);
    assertEquals(await res.json(), bodies.badParam(param), path);
  }
});

Deno.test("an educator gets 403 on another educator's id even when no such educator exists", async () => {
  const res = await t.request("GET", "/v1/educators/507f191e810c19729de860ea/children/groups", {
    token: callers.educator.token,
  });
  assertEquals(res.status, 403);
  assertEquals(await res.json(), bodies.forbidden);
});

Deno.test("a caller whose own record is gone gets 403 from ownership checks, never 500", async () => {
  const ghostFamily = await t.tokenFor({ id: "5f00000000000000000000c1", type: "family" });
  for (const path of [`/v1/children/${callers.child.id}`, `/v1/children/nfc/${ownTag}`]) {
    const res = await t.request("GET", path, { token: ghostFamily });
    assertEquals(res.status, 403, path);
    assertEquals(await res.json(), bodies.forbidden, path);
  }
});

Deno.test("letter case: another case of a path is an unknown route (404 JSON, no token check)", async () => {
  const paths = [
    "/V1/children",
    "/v1/Children",
    `/v1/CHILDREN/${otherChild.id}`,
    `/v1/children/NFC/${otherTag}`,
    `/v1/Families/${fixed.otherFamily}/children`,
    `/v1/educators/${fixed.otherEducator}/Children/groups`,
    "/v1/Users/507f191e810c19729de860ea",
  ];
  for (const path of paths) {
    for (const token of [undefined, callers.child.token]) {
      const res = await t.request("GET", path, { token });
      assertEquals(res.status, 404, path);
      assertEquals(await res.json(), {
        code: 404,
        message: `${path} not found.`,
        description: `Specified resource: ${path} was not found or does not exist.`,
      }, path);
    }
  }
});

Deno.test("HEAD runs the GET route's checks: 403 without a body or X-Total-Count, 200 with them", async () => {
  const cases: [UserType, string, number][] = [
    ["family", `/v1/children/${otherChild.id}`, 403],
    ["child", `/v1/children/${otherChild.id}`, 403],
    ["family", "/v1/children", 403],
    ["application", "/v1/children", 403],
    ["child", `/v1/children/nfc/${otherTag}`, 403],
    ["educator", `/v1/educators/${fixed.otherEducator}/children/groups`, 403],
    ["family", `/v1/families/${fixed.otherFamily}/children`, 403],
    ["family", `/v1/children/${callers.child.id}`, 200],
    ["admin", "/v1/children", 200],
  ];
  for (const [type, path, status] of cases) {
    const res = await t.request("HEAD", path, { token: callers[type].token });
    assertEquals(res.status, status, `${type} HEAD ${path}`);
    assertEquals(await res.text(), "", path);
    const total = res.headers.get("X-Total-Count");
    assertEquals(total !== null, status === 200 && path === "/v1/children", path);
  }
  const anonymous = await t.request("HEAD", `/v1/children/${otherChild.id}`);
  assertEquals(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test("(close the test database)", () => t.close());
