/**
 * Signing in and out over HTTP: the session cookie's attributes, the API's messages on
 * the form, the sign-in form's CSRF and origin checks, and applications turned away.
 */
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { DashboardClient } from "../../test/dashboard/client.ts";
import { startTestApp } from "../../test/harness.ts";
import { eq } from "drizzle-orm";
import { users } from "../db/schema/index.ts";

const t = await startTestApp();
const admin = await t.createUser("admin", { username: "signin-admin" });
await t.createUser("application", { username: "signin-app", applicationName: "Uploader" });

Deno.test("sign-in: the API's token becomes an HttpOnly, SameSite=Strict cookie under /app", async () => {
  const client = new DashboardClient(t);
  const page = await client.signIn("signin-admin");
  assertEquals([page.status, page.location], [303, "/app/institutions"]);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith("ocariot_session="))!;
  assertMatch(cookie, /; Path=\/app/);
  assertMatch(cookie, /; HttpOnly/);
  assertMatch(cookie, /; SameSite=Strict/);
  assertMatch(cookie, /; Max-Age=(86399|86400);/, "lives as long as the token");
  assertEquals(/; Secure/.test(cookie), false, "no Secure flag over plain HTTP");
  // The cookie holds a token the API accepts as this admin's.
  const token = client.cookies.get("ocariot_session")!;
  const res = await t.request("GET", "/v1/institutions", { token });
  assertEquals(res.status, 200);
  assertEquals(
    JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub,
    admin.id,
  );
});

Deno.test("sign-in over HTTPS sets the Secure flag", async () => {
  const client = new DashboardClient(t, "https://dashboard.test");
  const page = await client.signIn("signin-admin");
  assertEquals(page.status, 303);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith("ocariot_session="))!;
  assertMatch(cookie, /; Secure/);
});

for (
  const [name, username, password, status, expected] of [
    ["a wrong password", "signin-admin", "nope", 401, /Invalid username or password!/],
    ["an unknown user", "nobody-here", "nope", 401, /Invalid username or password!/],
    [
      "empty fields",
      "",
      "",
      400,
      /id="f-username-error">Required fields were not provided\.\.\. username, password are required!/,
    ],
  ] as const
) {
  Deno.test(`sign-in with ${name}: the API's message, no session`, async () => {
    const client = new DashboardClient(t);
    const page = await client.signIn(username, password);
    assertEquals(page.status, status);
    assertMatch(page.text, expected);
    assertEquals(client.cookies.has("ocariot_session"), false);
  });
}

Deno.test("sign-in as an application: refused, no session", async () => {
  const client = new DashboardClient(t);
  const page = await client.signIn("signin-app");
  assertEquals(page.status, 403);
  assertMatch(page.text, /Applications use the API directly/);
  assertEquals(client.cookies.has("ocariot_session"), false);
});

for (
  const [name, fields, origin] of [
    ["without the form's value", { _csrf: "" }, undefined],
    ["with another value", { _csrf: "forged" }, undefined],
    ["from another site", {}, "https://evil.example"],
    ["without Origin or Referer", {}, null],
  ] as const
) {
  Deno.test(`sign-in ${name}: refused before the API is asked`, async () => {
    const client = new DashboardClient(t);
    await client.get("/app/sign-in");
    const before = await lastLogin(admin.id);
    const page = await client.post(
      "/app/sign-in",
      { username: "signin-admin", password: "secret-pass", ...fields },
      { origin },
    );
    assertEquals(page.status, 403);
    assertMatch(page.text, /The sign-in form expired/);
    assertEquals(client.cookies.has("ocariot_session"), false);
    assertEquals(await lastLogin(admin.id), before, "the API's login did not run");
  });
}

async function lastLogin(id: string) {
  const [row] = await t.db.select({ at: users.lastLogin }).from(users).where(eq(users.id, id));
  return row?.at ?? null;
}

Deno.test("sign-out needs the session's CSRF value, then forgets the session", async () => {
  const client = new DashboardClient(t);
  await client.signIn("signin-admin");
  await client.get("/app/institutions");
  const refused = await client.post("/app/sign-out", { _csrf: "forged" });
  assertEquals(refused.status, 403);
  assertTrue(client.cookies.has("ocariot_session"));
  const out = await client.post("/app/sign-out");
  assertEquals([out.status, out.location], [303, "/app/sign-in?out=1"]);
  assertEquals(client.cookies.has("ocariot_session"), false);
  const after = await client.get("/app/institutions");
  assertEquals([after.status, after.location], [303, "/app/sign-in"]);
});

Deno.test("a page without a session leads to the sign-in page", async () => {
  const page = await new DashboardClient(t).get("/app/users/children");
  assertEquals([page.status, page.location], [303, "/app/sign-in"]);
});

Deno.test("an expired token: back to sign-in, the cookie cleared", async () => {
  const client = new DashboardClient(t);
  await client.signIn("signin-admin");
  t.clock.advance(86_400_000 + 1000);
  try {
    const page = await client.get("/app/institutions");
    assertEquals([page.status, page.location], [303, "/app/sign-in?ended=1"]);
    assertEquals(client.cookies.has("ocariot_session"), false);
    const form = await client.get(page.location!);
    assertMatch(form.text, /Your session has ended\. Please sign in again\./);
  } finally {
    t.clock.advance(-(86_400_000 + 1000));
  }
});

Deno.test("a revoked token (its user deleted): back to sign-in", async () => {
  const family = await t.createUser("family", { username: "signin-family" });
  const client = new DashboardClient(t);
  assertEquals((await client.signIn("signin-family")).location, "/app/children");
  const removed = await t.request("DELETE", `/v1/users/${family.id}`, {
    token: await t.tokenFor(admin),
  });
  assertEquals(removed.status, 204);
  const page = await client.get("/app/children");
  assertEquals([page.status, page.location], [303, "/app/sign-in?ended=1"]);
});

Deno.test("a cookie that is not one of the API's tokens: back to sign-in", async () => {
  const client = new DashboardClient(t);
  await client.signIn("signin-admin");
  const token = client.cookies.get("ocariot_session")!;
  const [header, payload] = token.split(".");
  client.cookies.set("ocariot_session", `${header}.${payload}.c2lnbmF0dXJl`);
  const page = await client.get("/app/institutions");
  assertEquals([page.status, page.location], [303, "/app/sign-in?ended=1"]);
});

Deno.test("(close the app)", async () => {
  await t.close();
});
