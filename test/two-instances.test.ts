/**
 * Two real service processes (`src/main.ts`) on one database file: what one of them
 * changes, the other sees on its very next request, whatever either remembers (verified
 * tokens, prepared statements).
 */
import { assertEquals } from "./assert.ts";
import { tokenErrors } from "../src/core/errors.ts";
import { call } from "../bench/lib/http.ts";
import { type RunningService, startService, withTempDir } from "./service-process.ts";

const ADMIN_PASSWORD = "two-instances-admin";

/** An instance, by its base URL (before `/v1`). */
interface Instance {
  url: string;
}

const instance = (service: RunningService): Instance => ({
  url: service.url.replace(/\/v1$/, ""),
});

/** Two instances on one fresh data directory, stopped and removed afterwards. */
function withTwoInstances(test: (a: Instance, b: Instance) => Promise<void>) {
  return withTempDir(async (dir) => {
    const env = { DATA_DIR: dir, ADMIN_PASSWORD, LOG_LEVEL: "info" };
    const a = await startService(env);
    const b = await startService(env);
    try {
      await test(instance(a), instance(b));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
}

/** Logs in on `url` and returns the token. */
async function login(url: string, username: string, password: string): Promise<string> {
  return (await call(url, "POST", "/v1/auth", undefined, { username, password })).body.access_token;
}

Deno.test("a user deleted through one instance is refused by the other on its next request", () =>
  withTwoInstances(async (a, b) => {
    const admin = await login(a.url, "admin", ADMIN_PASSWORD);
    const institution = await call(a.url, "POST", "/v1/institutions", admin, {
      type: "School",
      name: "Two instances school",
    });
    const educator = await call(a.url, "POST", "/v1/educators", admin, {
      username: "teacher-two",
      password: "teacher-pass",
      institution_id: institution.body.id,
    });
    assertEquals(educator.status, 201);
    // The token comes from B; both instances share the database and the signing keys.
    const token = await login(b.url, "teacher-two", "teacher-pass");
    const own = `/v1/educators/${educator.body.id}`;
    for (const instance of [a, b, a, b]) {
      assertEquals((await call(instance.url, "GET", own, token)).status, 200);
    }

    assertEquals((await call(a.url, "DELETE", `/v1/users/${educator.body.id}`, admin)).status, 204);

    for (const instance of [b, a]) {
      const refused = await call(instance.url, "GET", own, token);
      assertEquals(refused, { status: 401, body: tokenErrors.revoked().toBody() });
    }
  }));

Deno.test("ownership asked with revocation in one statement: each instance sees the other's changes at once", () =>
  withTwoInstances(async (a, b) => {
    const admin = await login(a.url, "admin", ADMIN_PASSWORD);
    const institution = await call(a.url, "POST", "/v1/institutions", admin, {
      type: "School",
      name: "Two instances school (groups)",
    });
    const user = (path: string, body: Record<string, unknown>) =>
      call(a.url, "POST", path, admin, {
        password: "member-pass",
        institution_id: institution.body.id,
        ...body,
      });
    const educator = (await user("/v1/educators", { username: "teacher-groups" })).body;
    const child = (await user("/v1/children", {
      username: "child-groups",
      gender: "female",
      age: 9,
      age_calc_date: "2024-09-01",
    })).body;
    const teacher = await login(b.url, "teacher-groups", "member-pass");
    const groups = `/v1/educators/${educator.id}/children/groups`;
    const group = await call(a.url, "POST", groups, teacher, { name: "4A", children: [child.id] });
    assertEquals(group.status, 201);
    const activities = `/v1/children/${child.id}/physicalactivities`;
    const created = await call(b.url, "POST", activities, teacher, {
      name: "Walk",
      start_time: "2024-01-01T10:00:00Z",
      end_time: "2024-01-01T10:30:00Z",
      duration: 1_800_000,
      calories: 100,
    });
    assertEquals(created.status, 201);
    const one = `${activities}/${created.body.id}`;
    for (const instance of [a, b]) {
      assertEquals((await call(instance.url, "GET", one, teacher)).status, 200);
    }

    // The child leaves the group through A: B refuses on its next request, and back.
    const patch = (children: string[]) =>
      call(a.url, "PATCH", `${groups}/${group.body.id}`, teacher, { children });
    assertEquals((await patch([])).status, 200);
    for (const instance of [b, a]) {
      assertEquals((await call(instance.url, "GET", one, teacher)).status, 403);
    }
    assertEquals((await patch([child.id])).status, 200);
    assertEquals((await call(b.url, "GET", one, teacher)).status, 200);

    // The educator deleted through B: the same statement now answers the revocation 401.
    assertEquals((await call(b.url, "DELETE", `/v1/users/${educator.id}`, admin)).status, 204);
    for (const instance of [a, b]) {
      const refused = await call(instance.url, "GET", one, teacher);
      assertEquals(refused, { status: 401, body: tokenErrors.revoked().toBody() });
    }
  }));
