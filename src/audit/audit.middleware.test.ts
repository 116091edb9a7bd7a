import { sql } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { auditLog } from "../db/schema/index.ts";
import { activityBody } from "../tracking/testing.ts";

// What the audit middleware records: who, what, which child, the outcome; for writes and
// reads of a child's data only; committed before the answer leaves; never a secret.
const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const child = await t.login("child", { institutionId: inst.id, nfcTag: "04a22422dd6480" });
const educator = await t.login("educator", { institutionId: inst.id });
await t.createGroup(educator.id, [child.id]);
const UNKNOWN = "507f191e810c19729de860ea";

/** The rows written for the answer with this X-Request-Id. */
async function rowsOf(res: Response) {
  await res.body?.cancel();
  const requestId = res.headers.get("X-Request-Id")!;
  return await t.db.select().from(auditLog).where(sql`${auditLog.requestId} = ${requestId}`);
}

/** One row's fields besides id, time and request id. */
async function recorded(res: Response) {
  const rows = await rowsOf(res);
  return rows.map(({ id: _, at: __, requestId: ___, ...fields }) => fields);
}

const cases: {
  name: string;
  method: string;
  path: string;
  as: { id: string; type: string; token: string };
  body?: unknown;
  expected: { routeId: string; status: number; childId: string | null };
}[] = [
  {
    name: "a tracking list read",
    method: "GET",
    path: `/v1/children/${child.id}/physicalactivities`,
    as: educator,
    expected: { routeId: "TR2", status: 200, childId: child.id },
  },
  {
    name: "a bulk tracking write (207)",
    method: "POST",
    path: `/v1/children/${child.id}/physicalactivities`,
    as: child,
    body: [activityBody()],
    expected: { routeId: "TR1", status: 207, childId: child.id },
  },
  {
    name: "a read answered 404 by the handler",
    method: "GET",
    path: `/v1/children/${child.id}/sleep/${UNKNOWN}`,
    as: child,
    expected: { routeId: "TR11", status: 404, childId: child.id },
  },
  {
    name: "a profile read",
    method: "GET",
    path: `/v1/children/${child.id}`,
    as: admin,
    expected: { routeId: "AC6", status: 200, childId: child.id },
  },
  {
    name: "the NFC lookup, resolved to its child",
    method: "GET",
    path: "/v1/children/nfc/04a22422dd6480",
    as: educator,
    expected: { routeId: "AC7", status: 200, childId: child.id },
  },
  {
    name: "the children list (no one child)",
    method: "GET",
    path: "/v1/children",
    as: admin,
    expected: { routeId: "AC5", status: 200, childId: null },
  },
  {
    name: "a write outside tracking",
    method: "POST",
    path: "/v1/institutions",
    as: admin,
    body: { name: `Audited ${crypto.randomUUID()}`, type: "School" },
    expected: { routeId: "AC38", status: 201, childId: null },
  },
  {
    name: "a write refused by validation",
    method: "POST",
    path: "/v1/institutions",
    as: admin,
    body: { type: "School" },
    expected: { routeId: "AC38", status: 400, childId: null },
  },
  {
    name: "the export",
    method: "GET",
    path: `/v1/children/${child.id}/export`,
    as: child,
    expected: { routeId: "RA1", status: 200, childId: child.id },
  },
];

for (const c of cases) {
  Deno.test(`audit: ${c.name} is recorded with who, what, which child and the status`, async () => {
    const res = await t.request(c.method, c.path, { token: c.as.token, body: c.body });
    assertEquals(res.status, c.expected.status);
    assertEquals(await recorded(res), [{
      userId: c.as.id,
      userType: c.as.type,
      method: c.method,
      routeId: c.expected.routeId,
      path: c.path,
      status: c.expected.status,
      childId: c.expected.childId,
    }]);
  });
}

const stranger = await t.login("child", { institutionId: inst.id });
const notRecorded: { name: string; path: string; token?: string }[] = [
  { name: "a read holding no child data", path: "/v1/institutions", token: admin.token },
  {
    name: "a read of an institution's environments",
    path: `/v1/institutions/${inst.id}/environments`,
    token: admin.token,
  },
  { name: "a public route", path: "/v1" },
  { name: "a request without a token", path: `/v1/children/${child.id}/sleep` },
  {
    name: "a request the guard refuses (403)",
    path: `/v1/children/${child.id}/sleep`,
    token: stranger.token,
  },
  { name: "an unknown route", path: "/v1/nothing", token: admin.token },
];

for (const c of notRecorded) {
  Deno.test(`audit: ${c.name} is not recorded`, async () => {
    const res = await t.request("GET", c.path, { token: c.token });
    assertEquals(await rowsOf(res), []);
  });
}

Deno.test("audit: deleting a child records the child, resolved before it is gone", async () => {
  const doomed = await t.createUser("child", { institutionId: inst.id });
  const res = await t.request("DELETE", `/v1/users/${doomed.id}`, { token: admin.token });
  assertEquals(res.status, 204);
  const [row] = await rowsOf(res);
  assertEquals([row.routeId, row.childId, row.status], ["AC1", doomed.id, 204]);
});

Deno.test("audit: the row is committed before the answer arrives (no flush to wait for)", async () => {
  for (let i = 0; i < 10; i++) {
    const res = await t.request("GET", `/v1/children/${child.id}/weights`, { token: child.token });
    assertEquals((await rowsOf(res)).length, 1);
  }
});

Deno.test("audit: concurrent requests each get their row (written together)", async () => {
  const answers = await Promise.all(
    Array.from(
      { length: 40 },
      () => t.request("GET", `/v1/children/${child.id}/bodyfats`, { token: child.token }),
    ),
  );
  for (const res of answers) assertEquals((await rowsOf(res)).length, 1);
});

Deno.test("audit: no token, password or query value is ever stored", async () => {
  const secrets = ["Sup3r-Secret-Pass", "tok-4a7f9c1e-query", "tok-b-body"];
  const sent = [
    await t.request("POST", "/v1/children", {
      token: admin.token,
      body: {
        username: `audited-${crypto.randomUUID()}`,
        password: secrets[0],
        institution_id: inst.id,
        gender: "male",
        age: 10,
        age_calc_date: "2020-01-01",
      },
    }),
    await t.request("GET", `/v1/children/${child.id}/sleep?access_token=${secrets[1]}`, {
      token: child.token,
    }),
    await t.request("POST", `/v1/users/${child.id}/fitbit/auth`, {
      token: child.token,
      body: { access_token: secrets[2], refresh_token: secrets[2] },
    }),
  ];
  for (const res of sent) assertEquals((await rowsOf(res)).length, 1);
  const everything = JSON.stringify(await t.db.select().from(auditLog));
  for (const secret of [...secrets, admin.token, child.token, "Bearer"]) {
    assertTrue(!everything.includes(secret), `${secret.slice(0, 12)}… is not in the audit trail`);
  }
});

Deno.test("audit: when the row cannot be stored, a read is refused (500) and a write still answers", async () => {
  const broken = await startTestApp();
  try {
    const user = await broken.login("child", { institutionId: inst.id });
    await broken.db.run(sql`ALTER TABLE audit_log RENAME TO audit_log_away`);
    const read = await broken.request("GET", `/v1/children/${user.id}/sleep`, {
      token: user.token,
    });
    assertEquals(read.status, 500);
    assertEquals(await read.json(), {
      code: 500,
      message: "An internal server error has occurred.",
    });
    const exported = await broken.request("GET", `/v1/children/${user.id}/export`, {
      token: user.token,
    });
    assertEquals(exported.status, 500);
    await exported.body?.cancel();
    const write = await broken.request("POST", `/v1/children/${user.id}/physicalactivities`, {
      token: user.token,
      body: activityBody(),
    });
    assertEquals(write.status, 201);
    await write.body?.cancel();
  } finally {
    await broken.close();
  }
});

Deno.test("(close the test database)", () => t.close());
