/**
 * Two real service processes (`src/main.ts`) on one database file: what one of them
 * changes, the other sees on its very next request, whatever either remembers (verified
 * tokens, prepared statements).
 */
import { fileURLToPath } from "node:url";
import { assertEquals } from "./assert.ts";
import { tokenErrors } from "../src/core/errors.ts";
import { call } from "../bench/lib/http.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ADMIN_PASSWORD = "two-instances-admin";

/** A `src/main.ts` process on loopback port 0; its URL is read from its "listening" line. */
async function startInstance(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/main.ts"],
    cwd: ROOT,
    env: { DATA_DIR: dataDir, ADMIN_PASSWORD, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await lines.read();
    if (done) throw new Error("the service exited before listening");
    buffered += value;
    const listening = buffered.split("\n").map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return undefined;
      }
    }).find((entry) => entry?.msg === "listening");
    url = listening?.url.replace(/\/v1$/, "");
  }
  // Keep reading the request log so the process never blocks on a full pipe.
  const drained = (async () => {
    while (!(await lines.read()).done);
  })();
  return {
    url: url!,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

type Instance = Awaited<ReturnType<typeof startInstance>>;

/** Two instances on one fresh data directory, stopped and removed afterwards. */
async function withTwoInstances(test: (a: Instance, b: Instance) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "ocariot-two-" });
  const a = await startInstance(dir);
  const b = await startInstance(dir);
  try {
    await test(a, b);
  } finally {
    await a.stop();
    await b.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("a user deleted through one instance is refused by the other on its next request", () =>
  withTwoInstances(async (a, b) => {
    const admin = (await call(a.url, "POST", "/v1/auth", undefined, {
      username: "admin",
      password: ADMIN_PASSWORD,
    })).body.access_token;
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
    const token = (await call(b.url, "POST", "/v1/auth", undefined, {
      username: "teacher-two",
      password: "teacher-pass",
    })).body.access_token;
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

/** Logs in on `url` and returns the token. */
async function login(url: string, username: string, password: string): Promise<string> {
  return (await call(url, "POST", "/v1/auth", undefined, { username, password })).body.access_token;
}

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
