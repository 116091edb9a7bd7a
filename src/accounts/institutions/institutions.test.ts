import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import type { UserType } from "../../auth/scopes.ts";

const t = await startTestApp();
const admin = await t.login("admin");
const valid = {
  name: "Institution A",
  type: "School",
  address: "221B Baker Street",
  latitude: -7.21,
  longitude: 35,
};

Deno.test("POST /v1/institutions creates an institution and shows coordinates as text", async () => {
  const res = await t.request("POST", "/v1/institutions", { token: admin.token, body: valid });
  assertEquals(res.status, 201);
  const body = await res.json();
  assertEquals(Object.keys(body), ["id", "type", "name", "address", "latitude", "longitude"]);
  assertEquals({ ...body, id: undefined }, {
    id: undefined,
    type: "School",
    name: "Institution A",
    address: "221B Baker Street",
    latitude: "-7.21",
    longitude: "35",
  });
});

Deno.test("POST /v1/institutions leaves unset optional fields out of the view", async () => {
  const res = await t.request("POST", "/v1/institutions", {
    token: admin.token,
    body: { name: "Bare", type: "School", id: "507f191e810c19729de860ea", extra: 1 },
  });
  assertEquals(res.status, 201);
  const body = await res.json();
  assertEquals(Object.keys(body), ["id", "type", "name"]);
  assertEquals(body.id === "507f191e810c19729de860ea", false);
});

const validationCases: [string, Record<string, unknown>, unknown][] = [
  ["name not a string", { ...valid, name: 1 }, bodies.invalid("name must be a string!")],
  ["name null", { ...valid, name: null }, bodies.invalid("name must be a string!")],
  ["name empty", { ...valid, name: "" }, bodies.invalid("name must have at least one character!")],
  ["type not a string", { ...valid, type: true }, bodies.invalid("type must be a string!")],
  ["type empty", { ...valid, type: "" }, bodies.invalid("type must have at least one character!")],
  ["address null", { ...valid, address: null }, bodies.invalid("address must be a string!")],
  [
    "address empty",
    { ...valid, address: "" },
    bodies.invalid("address must have at least one character!"),
  ],
  [
    "latitude as text",
    { ...valid, latitude: "TEXT" },
    bodies.invalid("latitude must be a string!"),
  ],
  [
    "latitude numeric text",
    { ...valid, latitude: "-7.21" },
    bodies.invalid("latitude must be a string!"),
  ],
  ["latitude null", { ...valid, latitude: null }, bodies.invalid("latitude must be a string!")],
  [
    "longitude boolean",
    { ...valid, longitude: false },
    bodies.invalid("longitude must be a string!"),
  ],
  ["name missing", { type: "School" }, bodies.required("name")],
  ["type missing", { name: "X" }, bodies.required("type")],
  ["both missing", {}, bodies.required("name, type")],
  ["invalid wins over missing", { type: 3 }, bodies.invalid("type must be a string!")],
  [
    "first invalid in field order wins",
    { name: 1, type: 2 },
    bodies.invalid("name must be a string!"),
  ],
];

for (const [name, body, expected] of validationCases) {
  Deno.test(`POST /v1/institutions validation: ${name}`, async () => {
    const res = await t.request("POST", "/v1/institutions", { token: admin.token, body });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), expected);
  });
}

Deno.test("POST /v1/institutions with a taken name answers 409", async () => {
  await t.createInstitution({ name: "Taken" });
  const res = await t.request("POST", "/v1/institutions", {
    token: admin.token,
    body: { ...valid, name: "Taken" },
  });
  assertEquals(res.status, 409);
  assertEquals(await res.json(), { code: 409, message: "Institution is already registered..." });
});

Deno.test("GET /v1/institutions/:id answers 400 for a malformed id and 404 for an unknown one", async () => {
  const bad = await t.request("GET", "/v1/institutions/123", { token: admin.token });
  assertEquals(bad.status, 400);
  assertEquals(await bad.json(), bodies.badParam("institution_id"));
  const unknown = await t.request("GET", "/v1/institutions/507f191e810c19729de860ea", {
    token: admin.token,
  });
  assertEquals(unknown.status, 404);
  assertEquals(await unknown.json(), {
    code: 404,
    message: "Institution not found!",
    description:
      "Institution not found or already removed. A new operation for the same resource is not required.",
  });
});

Deno.test("GET /v1/institutions/:id finds an id given in upper case", async () => {
  const inst = await t.createInstitution();
  const res = await t.request("GET", `/v1/institutions/${inst.id.toUpperCase()}`, {
    token: admin.token,
  });
  assertEquals(res.status, 200);
  assertEquals((await res.json()).id, inst.id);
});

Deno.test("PATCH /v1/institutions/:id changes only the fields sent", async () => {
  const inst = await t.createInstitution({ name: "Before", address: "Old street" });
  const res = await t.request("PATCH", `/v1/institutions/${inst.id}`, {
    token: admin.token,
    body: { name: "After", latitude: 1.5 },
  });
  assertEquals(res.status, 200);
  assertEquals(await res.json(), {
    id: inst.id,
    type: "School",
    name: "After",
    address: "Old street",
    latitude: "1.5",
  });
});

Deno.test("PATCH /v1/institutions/:id answers in the contract's order: 400, 409, 404", async () => {
  const other = await t.createInstitution({ name: "Other name" });
  const unknown = "507f191e810c19729de860ea";
  const cases: [string, string, unknown, number, unknown][] = [
    ["bad id", "/v1/institutions/xyz", { name: 1 }, 400, bodies.badParam("institution_id")],
    [
      "null longitude",
      `/v1/institutions/${unknown}`,
      { longitude: null },
      400,
      bodies.invalid("longitude must be a string!"),
    ],
    [
      "name of another institution, unknown id",
      `/v1/institutions/${unknown}`,
      { name: other.name },
      409,
      {
        code: 409,
        message: "Institution is already registered...",
      },
    ],
    ["unknown id", `/v1/institutions/${unknown}`, { type: "College" }, 404, {
      code: 404,
      message: "Institution not found!",
      description:
        "Institution not found or already removed. A new operation for the same resource is not required.",
    }],
  ];
  for (const [name, path, body, status, expected] of cases) {
    const res = await t.request("PATCH", path, { token: admin.token, body });
    assertEquals(res.status, status, name);
    assertEquals(await res.json(), expected, name);
  }
});

Deno.test("PATCH /v1/institutions/:id re-sending its own name is not a conflict", async () => {
  const inst = await t.createInstitution({ name: "Same name" });
  const res = await t.request("PATCH", `/v1/institutions/${inst.id}`, {
    token: admin.token,
    body: { name: "Same name" },
  });
  assertEquals(res.status, 200);
});

Deno.test("DELETE /v1/institutions/:id refuses while a user references it", async () => {
  const inst = await t.createInstitution();
  await t.createUser("educator", { institutionId: inst.id });
  const res = await t.request("DELETE", `/v1/institutions/${inst.id}`, { token: admin.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), {
    code: 400,
    message: "The institution is associated with one or more users.",
  });
  const still = await t.request("GET", `/v1/institutions/${inst.id}`, { token: admin.token });
  assertEquals(still.status, 200);
});

Deno.test("DELETE /v1/institutions/:id deletes, and answers 204 again when already gone", async () => {
  const inst = await t.createInstitution();
  for (let i = 0; i < 2; i++) {
    const res = await t.request("DELETE", `/v1/institutions/${inst.id}`, { token: admin.token });
    assertEquals(res.status, 204);
    assertEquals(await res.text(), "");
  }
  const gone = await t.request("GET", `/v1/institutions/${inst.id}`, { token: admin.token });
  assertEquals(gone.status, 404);
});

Deno.test("GET /v1/institutions pages, sorts and filters, with the unfiltered total", async () => {
  const list = await startTestApp();
  try {
    const token = (await list.login("admin")).token;
    for (const name of ["Escola 10", "Escola 9", "escola 2", "Colégio"]) {
      await list.createInstitution({ name, type: name.startsWith("Col") ? "College" : "School" });
      list.clock.advance(1000);
    }
    const names = async (query: string) => {
      const res = await list.request("GET", `/v1/institutions${query}`, { token });
      assertEquals(res.status, 200);
      assertEquals(res.headers.get("X-Total-Count"), "4");
      return (await res.json()).map((i: { name: string }) => i.name);
    };
    assertEquals(await names(""), ["Colégio", "escola 2", "Escola 9", "Escola 10"]);
    assertEquals(await names("?sort=name"), ["Colégio", "escola 2", "Escola 9", "Escola 10"]);
    assertEquals(await names("?sort=-name&limit=2"), ["Escola 10", "Escola 9"]);
    assertEquals(await names("?sort=-name&limit=2&page=2"), ["escola 2", "Colégio"]);
    assertEquals(await names("?type=College"), ["Colégio"]);
    assertEquals(await names("?name=*colegio*"), ["Colégio"]);
    assertEquals(await names("?name=escola*&sort=name"), ["escola 2", "Escola 9", "Escola 10"]);
    assertEquals(await names("?type=College,School&limit=1"), ["Colégio"]);
    assertEquals(await names("?unknown_field=1"), []);
    assertEquals(await names("?page=abc&limit=0"), [
      "Colégio",
      "escola 2",
      "Escola 9",
      "Escola 10",
    ]);
  } finally {
    await list.close();
  }
});

// Permission decisions of every user type on every institutions route (gateway.md AC38–AC42).
const types: UserType[] = [
  "admin",
  "application",
  "child",
  "educator",
  "family",
  "healthprofessional",
];
type Case = { route: string; expected: Record<UserType, number> };
const own = await t.createInstitution({ name: "Own institution" });
const foreign = await t.createInstitution({ name: "Foreign institution" });
const callers = Object.fromEntries(
  await Promise.all(
    types.map(async (type) => [type, await t.login(type, { institutionId: own.id })]),
  ),
) as Record<UserType, { token: string }>;

const decisions: Case[] = [
  {
    route: "POST /v1/institutions",
    expected: {
      admin: 201,
      application: 403,
      child: 403,
      educator: 403,
      family: 403,
      healthprofessional: 403,
    },
  },
  {
    route: "GET /v1/institutions",
    expected: {
      admin: 200,
      application: 200,
      child: 403,
      educator: 200,
      family: 403,
      healthprofessional: 200,
    },
  },
  {
    route: "GET /v1/institutions/OWN",
    expected: {
      admin: 200,
      application: 200,
      child: 200,
      educator: 200,
      family: 200,
      healthprofessional: 200,
    },
  },
  {
    route: "GET /v1/institutions/FOREIGN",
    expected: {
      admin: 200,
      application: 200,
      child: 403,
      educator: 200,
      family: 403,
      healthprofessional: 200,
    },
  },
  {
    route: "PATCH /v1/institutions/OWN",
    expected: {
      admin: 200,
      application: 403,
      child: 403,
      educator: 200,
      family: 403,
      healthprofessional: 200,
    },
  },
  {
    route: "PATCH /v1/institutions/FOREIGN",
    expected: {
      admin: 200,
      application: 403,
      child: 403,
      educator: 403,
      family: 403,
      healthprofessional: 403,
    },
  },
  {
    route: "DELETE /v1/institutions/NEW",
    expected: {
      admin: 204,
      application: 403,
      child: 403,
      educator: 403,
      family: 403,
      healthprofessional: 403,
    },
  },
];

for (const { route, expected } of decisions) {
  for (const type of types) {
    Deno.test(`permission: ${type} ${route} → ${expected[type]}`, async () => {
      const [method, template] = route.split(" ");
      const target = template.endsWith("NEW") ? (await t.createInstitution()).id : undefined;
      const path = template.replace("OWN", own.id).replace("FOREIGN", foreign.id).replace(
        "NEW",
        target ?? "",
      );
      const body = method === "POST"
        ? { name: `Inst ${crypto.randomUUID()}`, type: "School" }
        : method === "PATCH"
        ? { address: "Somewhere" }
        : undefined;
      const res = await t.request(method, path, { token: callers[type].token, body });
      assertEquals(res.status, expected[type]);
      if (res.status === 403) assertEquals(await res.json(), bodies.forbidden);
      else await res.body?.cancel();
    });
  }
}

Deno.test("permission: a child whose own record is gone gets 403, not 500", async () => {
  const ghost = { id: "5f0000000000000000000001", type: "child" as const };
  const res = await t.request("GET", `/v1/institutions/${own.id}`, {
    token: await t.tokenFor(ghost),
  });
  assertEquals(res.status, 403);
  assertEquals(await res.json(), bodies.forbidden);
});

Deno.test("permission: an educator whose institution was deleted by another process gets 403 on PATCH", async () => {
  const gone = "5f00000000000000000000ff";
  const educator = await t.login("educator", { institutionId: gone });
  const res = await t.request("PATCH", `/v1/institutions/${own.id}`, {
    token: educator.token,
    body: { type: "X" },
  });
  assertEquals(res.status, 403);
  await res.body?.cancel();
});

Deno.test("(close the test database)", () => t.close());
