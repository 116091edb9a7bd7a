import { sql } from "drizzle-orm";
import { assertEquals } from "../../../test/assert.ts";
import { bodies, FIXTURE_PASSWORD, startTestApp } from "../../../test/harness.ts";

const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const UNKNOWN = "507f191e810c19729de860ea";
const revoked = {
  code: 401,
  message: "UNAUTHORIZED",
  description: "The token user is not properly registered as a consumer at the gateway.",
  redirect_link: "/auth",
};
const userNotFound = {
  code: 404,
  message: "User not found!",
  description:
    "User not found or already removed. A new operation for the same resource is not required.",
};

/** Row counts of the account tables a deletion touches. */
async function counts() {
  const count = async (table: string) =>
    (await t.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`))).n;
  return {
    users: await count("users"),
    groups: await count("children_groups"),
    members: await count("children_group_members"),
    familyLinks: await count("family_children"),
  };
}

const deleteUser = (id: string) => t.request("DELETE", `/v1/users/${id}`, { token: admin.token });

Deno.test("DELETE /v1/users/:user_id deletes a child and removes it from every group and family", async () => {
  const [child, sibling] = [await t.login("child"), await t.login("child")];
  const educator = await t.createUser("educator");
  const hp = await t.createUser("healthprofessional");
  await t.createGroup(educator.id, [child.id, sibling.id]);
  await t.createGroup(hp.id, [child.id]);
  const family = await t.createUser("family");
  await t.linkFamily(family.id, [sibling.id, child.id]);
  const before = await counts();

  const res = await deleteUser(child.id);
  assertEquals(res.status, 204);
  assertEquals(await res.text(), "");
  assertEquals(await counts(), {
    users: before.users - 1,
    groups: before.groups,
    members: before.members - 2,
    familyLinks: before.familyLinks - 1,
  });

  // Its token stops working at once; another user's token still works.
  const own = await t.request("GET", `/v1/children/${child.id}`, { token: child.token });
  assertEquals(own.status, 401);
  assertEquals(await own.json(), revoked);
  const other = await t.request("GET", `/v1/children/${sibling.id}`, { token: sibling.token });
  assertEquals(other.status, 200);
  await other.body?.cancel();
  const gone = await t.request("GET", `/v1/children/${child.id}`, { token: admin.token });
  assertEquals(gone.status, 404);
  await gone.body?.cancel();
  // Logging in again gives a token of a subject that no longer exists.
  const login = await t.request("POST", "/v1/auth", {
    body: { username: child.username, password: FIXTURE_PASSWORD },
  });
  assertEquals(login.status, 401);
  assertEquals(await login.json(), { code: 401, message: "Invalid username or password!" });
});

for (const type of ["educator", "healthprofessional"] as const) {
  Deno.test(`DELETE /v1/users/:user_id deletes a ${type}'s groups and their members, not the children`, async () => {
    const owner = await t.login(type);
    const other = await t.createUser(type);
    const [c1, c2] = [await t.createUser("child"), await t.createUser("child")];
    await t.createGroup(owner.id, [c1.id, c2.id]);
    await t.createGroup(owner.id, [c1.id]);
    await t.createGroup(other.id, [c1.id]);
    const before = await counts();
    const res = await deleteUser(owner.id);
    assertEquals(res.status, 204);
    assertEquals(await counts(), {
      users: before.users - 1,
      groups: before.groups - 2,
      members: before.members - 3,
      familyLinks: before.familyLinks,
    });
    const stale = await t.request("GET", "/v1/institutions", { token: owner.token });
    assertEquals(stale.status, 401);
    assertEquals(await stale.json(), revoked);
  });
}

Deno.test("DELETE /v1/users/:user_id deletes a family's child links, not the children", async () => {
  const family = await t.login("family");
  const [c1, c2] = [await t.createUser("child"), await t.createUser("child")];
  await t.linkFamily(family.id, [c1.id, c2.id]);
  const other = await t.createUser("family");
  await t.linkFamily(other.id, [c1.id]);
  const before = await counts();
  const res = await deleteUser(family.id);
  assertEquals(res.status, 204);
  assertEquals(await counts(), {
    users: before.users - 1,
    groups: before.groups,
    members: before.members,
    familyLinks: before.familyLinks - 2,
  });
});

Deno.test("DELETE /v1/users/:user_id deletes an application", async () => {
  const app = await t.login("application");
  const before = await counts();
  assertEquals((await deleteUser(app.id)).status, 204);
  assertEquals((await counts()).users, before.users - 1);
  const stale = await t.request("GET", `/v1/applications/${app.id}`, { token: app.token });
  assertEquals(stale.status, 401);
  assertEquals(await stale.json(), revoked);
});

Deno.test("DELETE /v1/users/:user_id on another admin deletes nothing and leaves its tokens working", async () => {
  const other = await t.login("admin");
  const before = await counts();
  const res = await deleteUser(other.id);
  assertEquals(res.status, 204);
  assertEquals(await counts(), before);
  const still = await t.request("GET", "/v1/institutions", { token: other.token });
  assertEquals(still.status, 200);
  await still.body?.cancel();
});

Deno.test("DELETE /v1/users/:user_id on an unknown id answers 204 and changes nothing", async () => {
  const before = await counts();
  const res = await deleteUser(UNKNOWN);
  assertEquals(res.status, 204);
  assertEquals(await counts(), before);
});

Deno.test("DELETE /v1/users/:user_id: malformed id 400; the admin itself 403", async () => {
  const bad = await deleteUser("123");
  assertEquals(bad.status, 400);
  assertEquals(await bad.json(), bodies.badParam("user_id"));
  const self = await deleteUser(admin.id);
  assertEquals(self.status, 403);
  assertEquals(await self.json(), bodies.forbidden);
});

Deno.test("institution deletion refuses while a user made through the API references it", async () => {
  const created = await t.request("POST", "/v1/institutions", {
    token: admin.token,
    body: { name: "Referenced school", type: "School" },
  });
  assertEquals(created.status, 201);
  const institution = await created.json();
  const child = await t.request("POST", "/v1/children", {
    token: admin.token,
    body: {
      username: "referencing",
      password: "p",
      institution_id: institution.id,
      gender: "male",
      age: "2015-01-01",
    },
  });
  assertEquals(child.status, 201);
  const childId = (await child.json()).id;
  const refused = await t.request("DELETE", `/v1/institutions/${institution.id}`, {
    token: admin.token,
  });
  assertEquals(refused.status, 400);
  assertEquals(await refused.json(), {
    code: 400,
    message: "The institution is associated with one or more users.",
  });
  assertEquals((await deleteUser(childId)).status, 204);
  const deleted = await t.request("DELETE", `/v1/institutions/${institution.id}`, {
    token: admin.token,
  });
  assertEquals(deleted.status, 204);
});

Deno.test("PUT /v1/users/:user_id/password validates, checks the old password, and stores the new one", async () => {
  const educator = await t.login("educator", { institutionId: inst.id });
  const path = `/v1/users/${educator.id}/password`;
  const cases: [unknown, number, unknown][] = [
    [{ old_password: 1, new_password: "x" }, 400, bodies.invalid("old_password must be a string!")],
    [
      { old_password: "", new_password: "x" },
      400,
      bodies.invalid(
        "old_password must have at least one character!",
      ),
    ],
    [
      { old_password: "x", new_password: null },
      400,
      bodies.invalid("new_password must be a string!"),
    ],
    [
      { old_password: "x", new_password: "" },
      400,
      bodies.invalid(
        "new_password must have at least one character!",
      ),
    ],
    [{ new_password: 1 }, 400, bodies.invalid("new_password must be a string!")],
    [{}, 400, bodies.required("old_password, new_password")],
    [{ old_password: "x" }, 400, bodies.required("new_password")],
    [{ old_password: "wrong", new_password: "new-pass" }, 400, {
      code: 400,
      message: "Password does not match!",
      description: "The old password parameter does not match with the actual user password.",
    }],
  ];
  for (const [body, status, expected] of cases) {
    const res = await t.request("PUT", path, { token: educator.token, body });
    assertEquals(res.status, status, JSON.stringify(body));
    assertEquals(await res.json(), expected, JSON.stringify(body));
  }
  const ok = await t.request("PUT", path, {
    token: educator.token,
    body: { old_password: FIXTURE_PASSWORD, new_password: "new-pass" },
  });
  assertEquals(ok.status, 204);
  assertEquals(await ok.text(), "");
  const login = (password: string) =>
    t.request("POST", "/v1/auth", { body: { username: educator.username, password } });
  assertEquals((await login("new-pass")).status, 200);
  const old = await login(FIXTURE_PASSWORD);
  assertEquals(old.status, 401);
  await old.body?.cancel();
});

Deno.test("PUT /v1/users/:user_id/password: a caller whose record is gone gets 404 User not found", async () => {
  const ghost = { id: "5f00000000000000000000b1", type: "family" as const };
  const res = await t.request("PUT", `/v1/users/${ghost.id}/password`, {
    token: await t.tokenFor(ghost),
    body: { old_password: "a", new_password: "b" },
  });
  assertEquals(res.status, 404);
  assertEquals(await res.json(), userNotFound);
});

Deno.test("POST /v1/users/:user_id/reset-password validates and stores the new password", async () => {
  const child = await t.createUser("child");
  const path = `/v1/users/${child.id}/reset-password`;
  const cases: [string, unknown, number, unknown][] = [
    [path, {}, 400, {
      code: 400,
      message: "Required field not provided...",
      description: "new_password is required!",
    }],
    [path, { new_password: 5 }, 400, bodies.invalid("new_password must be a string!")],
    [
      path,
      { new_password: "" },
      400,
      bodies.invalid(
        "new_password must have at least one character!",
      ),
    ],
    ["/v1/users/1/reset-password", { new_password: "x" }, 400, bodies.badParam("user_id")],
    [`/v1/users/${UNKNOWN}/reset-password`, { new_password: "x" }, 404, userNotFound],
  ];
  for (const [target, body, status, expected] of cases) {
    const res = await t.request("POST", target, { token: admin.token, body });
    assertEquals(res.status, status, JSON.stringify(body));
    assertEquals(await res.json(), expected, JSON.stringify(body));
  }
  const ok = await t.request("POST", path, {
    token: admin.token,
    body: { new_password: "reset!" },
  });
  assertEquals(ok.status, 204);
  const login = await t.request("POST", "/v1/auth", {
    body: { username: child.username, password: "reset!" },
  });
  assertEquals(login.status, 200);
  await login.body?.cancel();
  // The admin may reset its own password too.
  const own = await t.request("POST", `/v1/users/${admin.id}/reset-password`, {
    token: admin.token,
    body: { new_password: "admin-new" },
  });
  assertEquals(own.status, 204);
});

Deno.test("(close the test database)", () => t.close());
