import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";

const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const UNKNOWN = "507f191e810c19729de860ea";

const notFound = bodies.notFound("Application");
const conflict = bodies.conflict("Application");
const institutionNotRegistered = bodies.institutionNotRegistered;
const valid = () => ({
  username: `app-${crypto.randomUUID().slice(0, 8)}`,
  password: "app-pass",
  application_name: "Robot",
});
const send = (method: string, path: string, body?: unknown) =>
  t.request(method, path, { token: admin.token, body });
async function createApplication(body: Record<string, unknown> = {}) {
  const res = await send("POST", "/v1/applications", { ...valid(), ...body });
  assertEquals(res.status, 201);
  return await res.json();
}

Deno.test("POST /v1/applications creates one; the institution is optional", async () => {
  const bare = await send("POST", "/v1/applications", { ...valid(), username: "robot" });
  assertEquals(bare.status, 201);
  const body = await bare.json();
  assertEquals(Object.keys(body), ["id", "username", "application_name"]);
  assertEquals({ ...body, id: "" }, { id: "", username: "robot", application_name: "Robot" });
  const withInstitution = await createApplication({ institution: inst.id });
  assertEquals(Object.keys(withInstitution), [
    "id",
    "username",
    "institution_id",
    "application_name",
  ]);
  assertEquals(withInstitution.institution_id, inst.id);
});

const createCases: [string, Record<string, unknown>, unknown][] = [
  ["username", { username: 1 }, bodies.invalid("username must be a string!")],
  ["password", { password: null }, bodies.invalid("password must be a string!")],
  ["institution_id", { institution_id: "bad" }, bodies.badParam("institution_id")],
  ["institution_id null", { institution_id: null }, bodies.badParam("institution_id")],
  [
    "application_name type",
    { application_name: 3 },
    bodies.invalid(
      "application_name must be a string!",
    ),
  ],
  [
    "application_name empty",
    { application_name: "" },
    bodies.invalid(
      "application_name must have at least one character!",
    ),
  ],
  [
    "application_name missing",
    { application_name: undefined },
    bodies.required("application_name"),
  ],
  ["all missing", {
    username: undefined,
    password: undefined,
    application_name: undefined,
  }, bodies.required("username, password, application_name")],
  [
    "institution before name",
    { institution_id: "x", application_name: 1 },
    bodies.badParam(
      "institution_id",
    ),
  ],
];
for (const [title, patch, expected] of createCases) {
  Deno.test(`POST /v1/applications validation: ${title}`, async () => {
    const res = await send("POST", "/v1/applications", { ...valid(), ...patch });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), expected);
  });
}

Deno.test("POST /v1/applications: 409, then the institution check", async () => {
  const existing = await createApplication();
  const taken = await send("POST", "/v1/applications", {
    ...valid(),
    username: existing.username,
    institution_id: UNKNOWN,
  });
  assertEquals(taken.status, 409);
  assertEquals(await taken.json(), conflict);
  const unknown = await send("POST", "/v1/applications", { ...valid(), institution_id: UNKNOWN });
  assertEquals(unknown.status, 400);
  assertEquals(await unknown.json(), institutionNotRegistered);
});

Deno.test("GET /v1/applications/:application_id: 400, 404, 200", async () => {
  const app = await createApplication();
  const cases: [string, number, unknown][] = [
    ["/v1/applications/zz", 400, bodies.badParam("application_id")],
    [`/v1/applications/${UNKNOWN}`, 404, notFound],
    [`/v1/applications/${app.id}`, 200, app],
  ];
  for (const [path, status, expected] of cases) {
    const res = await send("GET", path);
    assertEquals(res.status, status, path);
    assertEquals(await res.json(), expected, path);
  }
});

Deno.test("PATCH /v1/applications/:application_id answers in the contract's order", async () => {
  const app = await createApplication();
  const other = await createApplication();
  const cases: [string, string, Record<string, unknown>, number, unknown][] = [
    ["bad id", "/v1/applications/1", {}, 400, bodies.badParam("application_id")],
    ["username", app.id, { username: 2 }, 400, bodies.invalid("username must be a string!")],
    ["institution", app.id, { institution_id: "2" }, 400, bodies.badParam("institution_id")],
    ["password", app.id, { password: "x", application_name: 1 }, 400, {
      code: 400,
      message: "This parameter could not be updated.",
      description:
        `A specific route to update user password already exists.Access: PATCH /users/${app.id}/password to update your password.`,
    }],
    [
      "application_name",
      app.id,
      { application_name: "" },
      400,
      bodies.invalid(
        "application_name must have at least one character!",
      ),
    ],
    ["not found", UNKNOWN, { username: other.username }, 404, notFound],
    ["conflict", app.id, { username: other.username, institution_id: UNKNOWN }, 409, conflict],
    [
      "institution unregistered",
      app.id,
      { institution_id: UNKNOWN },
      400,
      institutionNotRegistered,
    ],
    ["own username", app.id, { username: app.username }, 200, app],
    ["change", app.id, { application_name: "New name", institution_id: inst.id }, 200, {
      id: app.id,
      username: app.username,
      institution_id: inst.id,
      application_name: "New name",
    }],
  ];
  for (const [title, id, body, status, expected] of cases) {
    const path = id.startsWith("/") ? id : `/v1/applications/${id}`;
    const res = await send("PATCH", path, body);
    assertEquals(res.status, status, title);
    assertEquals(await res.json(), expected, title);
  }
});

Deno.test("GET /v1/applications lists with filters and the type's total", async () => {
  const list = await startTestApp();
  try {
    const token = (await list.login("admin")).token;
    await list.createUser("application", { username: "one", applicationName: "Robot" });
    list.clock.advance(1000);
    await list.createUser("application", { username: "two", applicationName: "Game" });
    const names = async (query: string) => {
      const res = await list.request("GET", `/v1/applications${query}`, { token });
      assertEquals(res.status, 200);
      assertEquals(res.headers.get("X-Total-Count"), "2");
      return (await res.json()).map((a: { username: string }) => a.username);
    };
    assertEquals(await names(""), ["two", "one"]);
    assertEquals(await names("?application_name=Game"), ["two"]);
    assertEquals(await names("?application_name=*o*&sort=username"), ["one"]);
  } finally {
    await list.close();
  }
});

Deno.test("(close the test database)", () => t.close());
