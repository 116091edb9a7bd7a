import { SignJWT } from "jose";
import { assertEquals, assertTrue } from "./assert.ts";
import { bodies, FIXTURE_PASSWORD, startTestApp, testKeys } from "./harness.ts";
import { revokedSubjects, users } from "../src/db/schema/index.ts";
import { eq } from "drizzle-orm";

// Cross-cutting behaviour of every route: tokens, scopes, envelopes, CORS, headers (gateway.md §4, §5).
const t = await startTestApp();
const admin = await t.login("admin");
const unauthorized = (description: string) => ({
  code: 401,
  message: "UNAUTHORIZED",
  description,
  redirect_link: "/auth",
});
const accessIssues = unauthorized("Authentication failed due to access token issues.");

/** A token signed with the test key but with chosen claims. */
async function craftedToken(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "RS256" },
) {
  const { privateKey } = await testKeys();
  return await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(privateKey);
}

const now = () => Math.floor(t.clock.now() / 1000);
const goodClaims = () => ({
  sub: admin.id,
  sub_type: "admin",
  iss: "ocariot",
  iat: now(),
  scope: "institutions:readAll",
  exp: now() + 60,
});

Deno.test("token: every way of sending no token gets the lack-of-credentials 401", async () => {
  const headers = [undefined, "", "Bearer", "Bearer ", "Basic abc", "Token abc"];
  for (const authorization of headers) {
    const res = await t.request("GET", "/v1/institutions", {
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    assertEquals(res.status, 401, `header ${JSON.stringify(authorization)}`);
    assertEquals(await res.json(), bodies.noToken);
    assertEquals(res.headers.get("WWW-Authenticate"), null);
  }
});

Deno.test("token: the scheme word is case-insensitive", async () => {
  const res = await t.request("GET", "/v1/institutions", {
    headers: { Authorization: `bEaReR ${admin.token}` },
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("token: malformed, forged or foreign tokens get the access-token-issues 401", async () => {
  const otherKey = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const cases: [string, string][] = [
    ["garbage", "undefined"],
    ["three garbage parts", "a.b.c"],
    [
      "signed by another key",
      await new SignJWT(goodClaims()).setProtectedHeader({ alg: "RS256" }).sign(
        otherKey.privateKey,
      ),
    ],
    ["wrong issuer", await craftedToken({ ...goodClaims(), iss: "someone-else" })],
    ["no subject", await craftedToken({ ...goodClaims(), sub: undefined })],
    ["no expiry", await craftedToken({ ...goodClaims(), exp: undefined })],
    ["not yet valid", await craftedToken({ ...goodClaims(), nbf: now() + 600 })],
    [
      "HS256",
      await new SignJWT(goodClaims()).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32)),
    ],
    ["alg none", `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify(goodClaims()))}.`],
  ];
  for (const [name, token] of cases) {
    const res = await t.request("GET", "/v1/institutions", { token });
    assertEquals(res.status, 401, name);
    assertEquals(await res.json(), accessIssues, name);
  }
});

Deno.test("token: expired (exp reached exactly) gets the expired 401, which wins over a wrong issuer", async () => {
  const expired = await craftedToken({ ...goodClaims(), exp: now() });
  const res = await t.request("GET", "/v1/institutions", { token: expired });
  assertEquals(res.status, 401);
  assertEquals(
    await res.json(),
    unauthorized("Authentication failed because access token is expired."),
  );
  const both = await craftedToken({ ...goodClaims(), exp: now() - 1, iss: "x" });
  assertEquals(
    await (await t.request("GET", "/v1/institutions", { token: both })).json(),
    unauthorized(
      "Authentication failed because access token is expired.",
    ),
  );
});

Deno.test("token: issued tokens last one day", async () => {
  const token = await t.tokenFor({ id: admin.id, type: "admin" });
  const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  assertEquals(Object.keys(payload), ["sub", "sub_type", "iss", "iat", "scope", "exp"]);
  assertEquals(payload.exp - payload.iat, 86_400);
  const clock = t.clock.time;
  try {
    t.clock.advance(86_400_000 - 1000);
    assertEquals((await t.request("GET", "/v1/institutions", { token })).status, 200);
    t.clock.advance(1000);
    assertEquals((await t.request("GET", "/v1/institutions", { token })).status, 401);
  } finally {
    t.clock.time = clock;
  }
});

Deno.test("token: a revoked subject gets the not-registered 401; the user row is never consulted", async () => {
  const user = await t.login("educator");
  await t.db.delete(users).where(eq(users.id, user.id));
  const stillValid = await t.request("GET", "/v1/institutions", { token: user.token });
  assertEquals(stillValid.status, 200);
  await stillValid.body?.cancel();
  await t.db.insert(revokedSubjects).values({ subjectId: user.id, revokedAt: t.clock.now() });
  const res = await t.request("GET", "/v1/institutions", { token: user.token });
  assertEquals(res.status, 401);
  assertEquals(
    await res.json(),
    unauthorized("The token user is not properly registered as a consumer at the gateway."),
  );
});

Deno.test("scope: a missing scope, or a scope claim that is not a string, gets 403", async () => {
  for (const scope of ["institutions:read", 42, undefined]) {
    const token = await craftedToken({ ...goodClaims(), scope });
    const res = await t.request("GET", "/v1/institutions", { token });
    assertEquals(res.status, 403, String(scope));
    assertEquals(await res.json(), bodies.forbidden);
  }
});

Deno.test("order: a malformed body never hides a 401 or a 403", async () => {
  const noToken = await t.request("POST", "/v1/institutions", { raw: "{oops" });
  assertEquals(noToken.status, 401);
  await noToken.body?.cancel();
  const child = await t.login("child");
  const noScope = await t.request("POST", "/v1/institutions", { token: child.token, raw: "{oops" });
  assertEquals(noScope.status, 403);
  await noScope.body?.cancel();
});

Deno.test("body: malformed JSON and JSON primitives get the unable-to-process 400", async () => {
  for (const raw of ["{oops", "[1,", '"text"', "42", "null"]) {
    const res = await t.request("POST", "/v1/institutions", { token: admin.token, raw });
    assertEquals(res.status, 400, raw);
    assertEquals(await res.json(), {
      code: 400,
      message: "Unable to process request body!",
      description:
        "Please verify that the JSON provided in the request body has a valid format and try again.",
    }, raw);
  }
});

Deno.test("body: no body, an empty JSON body or a non-JSON content type counts as {}", async () => {
  const none = await t.request("POST", "/v1/institutions", { token: admin.token });
  assertEquals(none.status, 400);
  assertEquals(await none.json(), bodies.required("name, type"));
  const empty = await t.request("POST", "/v1/institutions", { token: admin.token, raw: "" });
  assertEquals(empty.status, 400);
  assertEquals(await empty.json(), bodies.required("name, type"));
  const text = await t.request("POST", "/v1/institutions", {
    token: admin.token,
    raw: "name=x",
    headers: { "Content-Type": "text/plain" },
  });
  assertEquals(text.status, 400);
  assertEquals(await text.json(), bodies.required("name, type"));
});

Deno.test("body: more than 100 KB gets 413 and stores nothing", async () => {
  const big = { name: "Big", type: "x".repeat(110 * 1024) };
  const res = await t.request("POST", "/v1/institutions", { token: admin.token, body: big });
  assertEquals(res.status, 413);
  assertEquals(await res.json(), {
    code: 413,
    message: "Request entity too large!",
    description: "The request body must not exceed 100 KB.",
  });
  const list = await t.request("GET", "/v1/institutions?name=Big", { token: admin.token });
  assertEquals(await list.json(), []);
});

Deno.test("routing: unknown paths, wrong methods and other letter cases get the JSON 404 without a token check", async () => {
  const cases: [string, string][] = [
    ["GET", "/v1/nothing-here"],
    ["PUT", "/v1/institutions"],
    ["GET", "/V1/institutions"],
    ["GET", "/v1/Institutions"],
    ["GET", "/v2/institutions"],
  ];
  for (const [method, path] of cases) {
    const res = await t.request(method, `${path}?x=1`);
    assertEquals(res.status, 404, `${method} ${path}`);
    assertEquals(await res.json(), {
      code: 404,
      message: `${path} not found.`,
      description: `Specified resource: ${path} was not found or does not exist.`,
    });
  }
});

Deno.test("routing: one trailing slash is accepted", async () => {
  const res = await t.request("GET", "/v1/institutions/", { token: admin.token });
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("routing: HEAD runs the GET route's checks and sends no body", async () => {
  const anonymous = await t.request("HEAD", "/v1/institutions");
  assertEquals(anonymous.status, 401);
  const child = await t.login("child");
  const forbidden = await t.request("HEAD", "/v1/institutions", { token: child.token });
  assertEquals(forbidden.status, 403);
  assertEquals(forbidden.headers.get("X-Total-Count"), null);
  const allowed = await t.request("HEAD", "/v1/institutions", { token: admin.token });
  assertEquals(allowed.status, 200);
  assertTrue(allowed.headers.get("X-Total-Count") !== null);
  assertEquals(await allowed.text(), "");
});

Deno.test("CORS: any OPTIONS is answered 200 with an empty body before any check", async () => {
  const res = await t.request("OPTIONS", "/v1/institutions/whatever");
  assertEquals(res.status, 200);
  assertEquals(await res.text(), "");
  assertEquals(res.headers.get("Access-Control-Allow-Origin"), "*");
  assertEquals(
    res.headers.get("Access-Control-Allow-Headers"),
    "Content-Type,Authorization,X-Requested-With,Accept",
  );
  assertTrue(res.headers.get("Access-Control-Allow-Methods")?.includes("PATCH"));
});

Deno.test("headers: CORS and security headers are on every response, errors included", async () => {
  const res = await t.request("GET", "/v1/nothing");
  await res.body?.cancel();
  const expected: Record<string, string> = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Expose-Headers":
      "Content-Type,x-ratelimit-limit,x-ratelimit-remaining,X-Total-Count",
    "X-DNS-Prefetch-Control": "off",
    "X-Frame-Options": "SAMEORIGIN",
    "Strict-Transport-Security": "max-age=15552000; includeSubDomains",
    "X-Download-Options": "noopen",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
  };
  for (const [name, value] of Object.entries(expected)) {
    assertEquals(res.headers.get(name), value, name);
  }
  assertEquals(res.headers.get("X-Powered-By"), null);
  assertTrue(res.headers.get("Content-Type")?.startsWith("application/json"));
});

Deno.test("login: a valid username and password get a token that works, and last_login is set", async () => {
  const user = await t.createUser("educator", { username: "teacher.one" });
  const res = await t.request("POST", "/v1/auth", {
    body: { username: "teacher.one", password: FIXTURE_PASSWORD },
  });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(Object.keys(body), ["access_token"]);
  const caller = await t.deps.tokens.verify(body.access_token);
  assertEquals(caller.sub, user.id);
  assertEquals(caller.type, "educator");
  const [row] = await t.db.select({ lastLogin: users.lastLogin }).from(users).where(
    eq(users.id, user.id),
  );
  assertEquals(row.lastLogin, t.clock.now());
  const use = await t.request("GET", "/v1/institutions", { token: body.access_token });
  assertEquals(use.status, 200);
  await use.body?.cancel();
});

Deno.test("login: form-encoded bodies are accepted too", async () => {
  await t.createUser("family", { username: "family.form" });
  const res = await t.request("POST", "/v1/auth", {
    raw: `username=family.form&password=${FIXTURE_PASSWORD}`,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("login: when two types share a username, the oldest user logs in", async () => {
  const older = await t.createUser("child", { username: "shared.name" });
  t.clock.advance(1000);
  await t.createUser("educator", { username: "shared.name" });
  const res = await t.request("POST", "/v1/auth", {
    body: { username: "shared.name", password: FIXTURE_PASSWORD },
  });
  const caller = await t.deps.tokens.verify((await res.json()).access_token);
  assertEquals(caller.sub, older.id);
});

const loginErrors: [string, unknown, number, unknown][] = [
  [
    "username not a string",
    { username: 1, password: "x" },
    400,
    bodies.invalid("username must be a string!"),
  ],
  [
    "username empty",
    { username: "", password: "x" },
    400,
    bodies.invalid("username must have at least one character!"),
  ],
  [
    "password not a string",
    { username: "a", password: null },
    400,
    bodies.invalid("password must be a string!"),
  ],
  [
    "password empty",
    { username: "a", password: "" },
    400,
    bodies.invalid("password must have at least one character!"),
  ],
  ["both missing", {}, 400, bodies.required("username, password")],
  ["password missing", { username: "a" }, 400, bodies.required("password")],
  ["unknown user", { username: "nobody", password: "x" }, 401, {
    code: 401,
    message: "Invalid username or password!",
  }],
  ["username not trimmed", { username: " teacher.one", password: FIXTURE_PASSWORD }, 401, {
    code: 401,
    message: "Invalid username or password!",
  }],
  ["wrong password", { username: "teacher.one", password: "wrong" }, 401, {
    code: 401,
    message: "Invalid username or password!",
  }],
];

for (const [name, body, status, expected] of loginErrors) {
  Deno.test(`login: ${name}`, async () => {
    const res = await t.request("POST", "/v1/auth", { body });
    assertEquals(res.status, status);
    assertEquals(await res.json(), expected);
  });
}

Deno.test("login: malformed JSON counts as an empty body", async () => {
  const res = await t.request("POST", "/v1/auth", { raw: "{not json" });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.required("username, password"));
});

Deno.test("platform: home redirects to the reference, /v1 and /health answer", async () => {
  const home = await t.request("GET", "/");
  assertEquals(home.status, 302);
  assertEquals(home.headers.get("Location"), "/v1/reference");
  const v1 = await t.request("GET", "/v1");
  assertEquals(v1.status, 200);
  assertEquals((await v1.json()).status, "up");
  const health = await t.request("GET", "/health");
  assertEquals(health.status, 200);
  assertEquals(await health.json(), { status: "ok", database: "reachable" });
});

Deno.test("platform: the reference page and the OpenAPI document describe the routes", async () => {
  const page = await t.request("GET", "/v1/reference");
  assertEquals(page.status, 200);
  assertTrue((await page.text()).includes("<title>API Reference | OCARIoT</title>"));
  const doc = await (await t.request("GET", "/v1/openapi.json")).json();
  assertEquals(doc.openapi, "3.1.0");
  const create = doc.paths["/v1/institutions"].post;
  assertEquals(create.operationId, "createInstitution");
  assertEquals(create["x-contract-id"], "AC38");
  assertEquals(create["x-scopes"], ["institutions:create"]);
  const body = doc.components.schemas[
    create.requestBody.content["application/json"].schema.$ref.split("/").pop()
  ];
  assertEquals(Object.keys(body.properties), ["name", "type", "address", "latitude", "longitude"]);
  assertEquals(body.required, ["name", "type"]);
  const getOne = doc.paths["/v1/institutions/{institution_id}"].get;
  assertEquals(getOne["x-ownership-rule"], "institutionRead");
  assertEquals(getOne.parameters[0].name, "institution_id");
  assertEquals(doc.paths["/v1/auth"].post.security, []);
});

Deno.test("(close the test database)", () => t.close());
