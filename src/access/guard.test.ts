import type { InStatement } from "@libsql/client";
import { assertEquals } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import { errors, tokenErrors } from "../core/errors.ts";
import { revokedSubjects } from "../db/schema/index.ts";
import { activityBody } from "../tracking/testing.ts";

/**
 * The guard asks the database once per request: the token's revocation in the same
 * statement as the facts of the endpoint's rule. The answers must still come in the
 * contract's order (token and revocation 401, scope 403, path parameters 400, rule
 * 400/403), whichever facts the statement held; and only one statement decides.
 */

const t = await startTestApp();
const educator = await t.login("educator");
const revoked = await t.login("educator");
const child = await t.createUser("child");
const stranger = await t.createUser("child");
await t.createGroup(educator.id, [child.id]);
await t.createGroup(revoked.id, [child.id]);
await t.db.insert(revokedSubjects).values({ subjectId: revoked.id, revokedAt: t.clock.now() });

const stored = await t.request("POST", `/v1/children/${child.id}/physicalactivities`, {
  token: educator.token,
  body: activityBody(),
});
const recordId = (await stored.json()).id as string;
const unknownChild = "5f0000000000000000000000";
const one = (childId: string) => `/v1/children/${childId}/physicalactivities/${recordId}`;

/** The statements the app runs on its database, by text. */
const statements: string[] = [];
const client = (t.db as unknown as { session: { client: { execute(s: InStatement): unknown } } })
  .session.client;
const execute = client.execute.bind(client);
client.execute = (stmt: InStatement) => {
  statements.push(typeof stmt === "string" ? stmt : stmt.sql);
  return execute(stmt);
};

const cases: { name: string; method: string; path: string; status: number; body: unknown }[] = [
  { name: "in the group", method: "GET", path: one(child.id), status: 200, body: undefined },
  {
    name: "not in any of the caller's groups",
    method: "GET",
    path: one(stranger.id),
    status: 403,
    body: bodies.forbidden,
  },
  {
    name: "no such child",
    method: "GET",
    path: one(unknownChild),
    status: 400,
    body: errors.noSuchChild(unknownChild).toBody(),
  },
  {
    name: "malformed child id",
    method: "GET",
    path: one("xyz"),
    status: 400,
    body: bodies.badParam("child_id"),
  },
  {
    name: "a scope the caller lacks",
    method: "POST",
    path: "/v1/institutions",
    status: 403,
    body: bodies.forbidden,
  },
];

for (const { name, method, path, status, body } of cases) {
  Deno.test(`guard: ${name}: ${status}; revoked, the same request is the revocation 401`, async () => {
    const sent = method === "GET" ? undefined : {};
    const answer = await t.request(method, path, { token: educator.token, body: sent });
    assertEquals(answer.status, status);
    if (body !== undefined) assertEquals(await answer.json(), body);
    else await answer.body?.cancel();

    const refused = await t.request(method, path, { token: revoked.token, body: sent });
    assertEquals([refused.status, await refused.json()], [401, tokenErrors.revoked().toBody()]);
  });
}

Deno.test("guard: one statement answers revocation and the rule's facts together", async () => {
  statements.length = 0;
  const answer = await t.request("GET", one(child.id), { token: educator.token });
  assertEquals(answer.status, 200);
  await answer.body?.cancel();
  const guard = statements.filter((s) => /revoked_subjects/.test(s));
  assertEquals(guard.length, 1);
  assertEquals(/users/.test(guard[0]) && /children_group_members/.test(guard[0]), true);
  assertEquals(statements.filter((s) => /children_group_members|FROM users/.test(s)).length, 1);
});

Deno.test("(close the test database)", () => t.close());
