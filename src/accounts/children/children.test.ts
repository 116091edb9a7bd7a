import { eq } from "drizzle-orm";
import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { users } from "../../db/schema/index.ts";
import { recordFitbitState } from "./children.store.ts";

const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const UNKNOWN = "507f191e810c19729de860ea";
const today = new Date(t.clock.now()).toISOString().slice(0, 10);
const tomorrow = new Date(t.clock.now() + 86_400_000).toISOString().slice(0, 10);

let seq = 0;
const uniqueName = (prefix = "child") => `${prefix}-${++seq}-${crypto.randomUUID().slice(0, 6)}`;
const validChild = () => ({
  username: uniqueName(),
  password: "child-pass",
  institution_id: inst.id,
  gender: "male",
  age: 11,
  age_calc_date: "2019-10-01",
});

async function createChild(body: Record<string, unknown> = {}) {
  const res = await t.request("POST", "/v1/children", {
    token: admin.token,
    body: { ...validChild(), ...body },
  });
  assertEquals(res.status, 201);
  return await res.json();
}

const notFound = bodies.notFound("Child");
const institutionNotRegistered = bodies.institutionNotRegistered;
const badDate = (v: string) => ({
  code: 400,
  message: `Date: ${v}, is not in valid ISO 8601 format.`,
  description: "Date must be in the format: yyyy-MM-dd",
});
const futureDate = (v: string) => ({
  code: 400,
  message: `Datetime: ${v}, cannot be used!`,
  description: "The 'age' and 'age_calc_date' fields can only receive past or present dates.",
});
const genders = bodies.invalid("The names of the allowed genders are: male, female.");

Deno.test("POST /v1/children creates a child: view keys in order, age as text, Fitbit status none", async () => {
  const res = await t.request("POST", "/v1/children", {
    token: admin.token,
    body: {
      ...validChild(),
      username: "  BR9999  ",
      // Never accepted from a client: ignored.
      id: UNKNOWN,
      type: "admin",
      fitbit_status: "valid_token",
      last_sync: "2019-11-26T21:39:18.585Z",
      last_login: "2019-11-26T21:39:18.585Z",
      nfc_tag: "04a22422dd6480",
      tag_ass_time: "2019-11-26T21:39:18.585Z",
      unknown: true,
    },
  });
  assertEquals(res.status, 201);
  const body = await res.json();
  assertEquals(Object.keys(body), [
    "id",
    "username",
    "institution_id",
    "gender",
    "age",
    "age_calc_date",
    "fitbit_status",
  ]);
  assertEquals(body.id === UNKNOWN, false);
  assertEquals({ ...body, id: "" }, {
    id: "",
    username: "BR9999",
    institution_id: inst.id,
    gender: "male",
    age: "11",
    age_calc_date: "2019-10-01",
    fitbit_status: "none",
  });
});

Deno.test("POST /v1/children accepts a birth date as age, and the institution alias", async () => {
  const body = await createChild({
    age: "2010-05-21",
    age_calc_date: undefined,
    institution_id: undefined,
    institution: inst.id.toUpperCase(),
    gender: "female",
  });
  assertEquals(body.age, "2010-05-21");
  assertEquals(body.institution_id, inst.id);
  assertEquals("age_calc_date" in body, false);
});

Deno.test("POST /v1/children accepts today as age_calc_date and numeric text as age", async () => {
  const body = await createChild({ age: "9", age_calc_date: today });
  assertEquals([body.age, body.age_calc_date], ["9", today]);
});

const createCases: [string, Record<string, unknown>, unknown][] = [
  // username
  ["username not a string", { username: 7 }, bodies.invalid("username must be a string!")],
  ["username null", { username: null }, bodies.invalid("username must be a string!")],
  [
    "username empty",
    { username: "" },
    bodies.invalid("username must have at least one character!"),
  ],
  [
    "username blank",
    { username: "   " },
    bodies.invalid("username must have at least one character!"),
  ],
  ["username missing", { username: undefined }, bodies.required("username")],
  // password
  ["password not a string", { password: 1 }, bodies.invalid("password must be a string!")],
  [
    "password empty",
    { password: "" },
    bodies.invalid("password must have at least one character!"),
  ],
  ["password missing", { password: undefined }, bodies.required("password")],
  // institution
  ["institution_id malformed", { institution_id: "123" }, bodies.badParam("institution_id")],
  ["institution_id null", { institution_id: null }, bodies.badParam("institution_id")],
  ["institution_id a number", { institution_id: 5 }, bodies.badParam("institution_id")],
  ["institution alias malformed", {
    institution_id: undefined,
    institution: "x",
  }, bodies.badParam("institution_id")],
  ["institution missing", { institution_id: undefined }, bodies.required("institution")],
  // gender
  ["gender unknown", { gender: "other" }, genders],
  ["gender a number", { gender: 1 }, genders],
  ["gender null", { gender: null }, genders],
  ["gender wrong case", { gender: "Male" }, genders],
  ["gender missing", { gender: undefined }, bodies.required("gender")],
  // age
  ["age null", { age: null }, bodies.invalid("age must be a string!")],
  ["age a boolean", { age: true }, bodies.invalid("age must be a string!")],
  ["age an object", { age: { years: 3 } }, bodies.invalid("age must be a string!")],
  ["age empty", { age: "" }, bodies.invalid("age must have at least one character!")],
  ["age zero", { age: 0 }, bodies.invalid("Age cannot be less than or equal to zero!")],
  ["age negative", { age: -3 }, bodies.invalid("Age cannot be less than or equal to zero!")],
  ["age negative text", { age: "-1" }, bodies.invalid("Age cannot be less than or equal to zero!")],
  ["age not a date", { age: "eleven" }, badDate("eleven")],
  ["age date with time", { age: "2010-05-21T10:00:00" }, badDate("2010-05-21T10:00:00")],
  ["age month 13", { age: "2010-13-01" }, badDate("2010-13-01")],
  ["age impossible day", { age: "2015-02-29" }, {
    code: 400,
    message: "Date: 2015-02-29, is not in valid ISO 8601 format.",
  }],
  ["age year too early", { age: "1600-01-01" }, {
    code: 400,
    message:
      "Date 1600-01-01 has year not allowed. The year must be greater than 1678 and less than 2261.",
  }],
  ["age in the future", { age: tomorrow }, futureDate(tomorrow)],
  ["age missing", { age: undefined, age_calc_date: undefined }, bodies.required("age")],
  // age_calc_date
  ["age_calc_date not a string", {
    age_calc_date: 20191001,
  }, bodies.invalid("age_calc_date must be a string!")],
  [
    "age_calc_date null",
    { age_calc_date: null },
    bodies.invalid("age_calc_date must be a string!"),
  ],
  ["age_calc_date empty", {
    age_calc_date: "",
  }, bodies.invalid("age_calc_date must have at least one character!")],
  ["age_calc_date malformed", { age_calc_date: "01/10/2019" }, badDate("01/10/2019")],
  ["age_calc_date in the future", { age_calc_date: tomorrow }, futureDate(tomorrow)],
  ["age_calc_date missing with a numeric age", {
    age_calc_date: undefined,
  }, bodies.required("age_calc_date")],
  // precedence
  ["an invalid field wins over missing ones", {
    username: undefined,
    gender: "x",
  }, genders],
  ["the first invalid field in order wins", {
    password: 3,
    institution_id: "1",
    gender: "x",
  }, bodies.invalid("password must be a string!")],
  [
    "institution before gender",
    { institution_id: "1", gender: "x" },
    bodies.badParam(
      "institution_id",
    ),
  ],
  ["gender before age", { gender: "x", age: 0 }, genders],
  [
    "age before age_calc_date",
    { age: 0, age_calc_date: "bad" },
    bodies.invalid(
      "Age cannot be less than or equal to zero!",
    ),
  ],
  ["missing fields are listed in order, word `institution`", {
    username: undefined,
    password: undefined,
    institution_id: undefined,
    gender: undefined,
    age: undefined,
    age_calc_date: undefined,
  }, bodies.required("username, password, institution, gender, age")],
  ["age_calc_date listed last among missing", {
    username: undefined,
    age_calc_date: undefined,
  }, bodies.required("username, age_calc_date")],
];

for (const [name, patch, expected] of createCases) {
  Deno.test(`POST /v1/children validation: ${name}`, async () => {
    const body = { ...validChild(), ...patch };
    const res = await t.request("POST", "/v1/children", { token: admin.token, body });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), expected);
  });
}

Deno.test("POST /v1/children with no body or a malformed one", async () => {
  const empty = await t.request("POST", "/v1/children", { token: admin.token });
  assertEquals(empty.status, 400);
  assertEquals(await empty.json(), bodies.required("username, password, institution, gender, age"));
  const malformed = await t.request("POST", "/v1/children", { token: admin.token, raw: "{oops" });
  assertEquals(malformed.status, 400);
  assertEquals(await malformed.json(), {
    code: 400,
    message: "Unable to process request body!",
    description:
      "Please verify that the JSON provided in the request body has a valid format and try again.",
  });
});

Deno.test("POST /v1/children: 409 for a child's username (exact), then the institution check", async () => {
  const first = await createChild();
  const taken = await t.request("POST", "/v1/children", {
    token: admin.token,
    body: { ...validChild(), username: first.username, institution_id: UNKNOWN },
  });
  assertEquals(taken.status, 409);
  assertEquals(await taken.json(), { code: 409, message: "Child is already registered..." });
  // Another letter case is another username; usernames are unique per type only.
  await createChild({ username: first.username.toUpperCase() });
  const educator = await t.createUser("educator", { institutionId: inst.id });
  await createChild({ username: educator.username });
  const unknownInstitution = await t.request("POST", "/v1/children", {
    token: admin.token,
    body: { ...validChild(), institution_id: UNKNOWN },
  });
  assertEquals(unknownInstitution.status, 400);
  assertEquals(await unknownInstitution.json(), institutionNotRegistered);
});

Deno.test("GET /v1/children/:child_id: 400, 404 (also for another type's id), 200", async () => {
  const child = await createChild();
  const educator = await t.createUser("educator", { institutionId: inst.id });
  const cases: [string, number, unknown][] = [
    ["/v1/children/123", 400, bodies.badParam("child_id")],
    [`/v1/children/${UNKNOWN}`, 404, notFound],
    [`/v1/children/${educator.id}`, 404, notFound],
    [`/v1/children/${child.id.toUpperCase()}`, 200, child],
    [`/v1/children/${child.id}/`, 200, child],
  ];
  for (const [path, status, expected] of cases) {
    const res = await t.request("GET", path, { token: admin.token });
    assertEquals(res.status, status, path);
    assertEquals(await res.json(), expected, path);
  }
});

Deno.test("the child view shows last_login, last_sync, NFC fields as ISO instants, never password/type/created_at", async () => {
  const child = await createChild();
  const login = await t.request("POST", "/v1/auth", {
    body: { username: child.username, password: "child-pass" },
  });
  assertEquals(login.status, 200);
  await login.body?.cancel();
  await recordFitbitState(t.db, child.id, {
    status: "valid_token",
    lastSync: Date.UTC(2020, 0, 2),
  });
  await t.db.update(users).set({ nfcTag: "04a22422dd6480", tagAssTime: Date.UTC(2020, 0, 3) })
    .where(eq(users.id, child.id));
  const res = await t.request("GET", `/v1/children/${child.id}`, { token: admin.token });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(Object.keys(body), [
    "id",
    "username",
    "institution_id",
    "last_login",
    "gender",
    "age",
    "age_calc_date",
    "last_sync",
    "fitbit_status",
    "nfc_tag",
    "tag_ass_time",
  ]);
  assertEquals(body.last_login, new Date(t.clock.now()).toISOString());
  assertEquals(
    [body.last_sync, body.fitbit_status, body.nfc_tag, body.tag_ass_time],
    ["2020-01-02T00:00:00.000Z", "valid_token", "04a22422dd6480", "2020-01-03T00:00:00.000Z"],
  );
  const nfc = await t.request("GET", "/v1/children/nfc/04a22422dd6480", { token: admin.token });
  assertEquals(nfc.status, 200);
  assertEquals(await nfc.json(), body);
  const unknownTag = await t.request("GET", "/v1/children/nfc/ffff", { token: admin.token });
  assertEquals(unknownTag.status, 404);
  assertEquals(await unknownTag.json(), notFound);
});

Deno.test("PATCH /v1/children/:child_id changes only the fields sent and keeps the Fitbit and NFC fields", async () => {
  const child = await createChild({ gender: "female" });
  await recordFitbitState(t.db, child.id, { status: "expired_token", lastSync: 1_000 });
  const other = await t.createInstitution();
  const res = await t.request("PATCH", `/v1/children/${child.id}`, {
    token: admin.token,
    body: {
      username: " renamed ",
      institution: other.id,
      age: "2011-03-04",
      fitbit_status: "none",
      last_sync: "2021-01-01T00:00:00.000Z",
      nfc_tag: "abc",
    },
  });
  assertEquals(res.status, 200);
  assertEquals(await res.json(), {
    id: child.id,
    username: "renamed",
    institution_id: other.id,
    gender: "female",
    age: "2011-03-04",
    age_calc_date: "2019-10-01",
    last_sync: "1970-01-01T00:00:01.000Z",
    fitbit_status: "expired_token",
  });
});

Deno.test("PATCH /v1/children/:child_id: re-sending its own username is not a conflict; an empty body changes nothing", async () => {
  const child = await createChild();
  for (const body of [{ username: child.username }, {}]) {
    const res = await t.request("PATCH", `/v1/children/${child.id}`, { token: admin.token, body });
    assertEquals(res.status, 200);
    assertEquals(await res.json(), child);
  }
});

Deno.test("PATCH /v1/children/:child_id answers in the contract's order", async () => {
  const child = await createChild();
  const other = await createChild();
  const passwordRefused = (id: string) => ({
    code: 400,
    message: "This parameter could not be updated.",
    description:
      `A specific route to update user password already exists.Access: PATCH /users/${id}/password to update your password.`,
  });
  const cases: [string, string, Record<string, unknown>, number, unknown][] = [
    ["bad id first", "/v1/children/xyz", { username: 1 }, 400, bodies.badParam("child_id")],
    [
      "username null",
      child.id,
      { username: null },
      400,
      bodies.invalid("username must be a string!"),
    ],
    [
      "username empty",
      child.id,
      {
        username: " ",
      },
      400,
      bodies.invalid("username must have at least one character!"),
    ],
    [
      "institution_id null",
      child.id,
      { institution_id: null },
      400,
      bodies.badParam(
        "institution_id",
      ),
    ],
    [
      "password refused, quoting the path id",
      child.id,
      { password: "x" },
      400,
      passwordRefused(
        child.id,
      ),
    ],
    ["password null refused too", UNKNOWN, { password: null }, 400, passwordRefused(UNKNOWN)],
    [
      "username before password",
      child.id,
      { username: 1, password: "x" },
      400,
      bodies.invalid(
        "username must be a string!",
      ),
    ],
    [
      "password before gender",
      child.id,
      { password: "x", gender: "x" },
      400,
      passwordRefused(
        child.id,
      ),
    ],
    ["gender", child.id, { gender: "x" }, 400, genders],
    [
      "age null (the original crashed)",
      child.id,
      { age: null },
      400,
      bodies.invalid(
        "Provided age is not a valid number!",
      ),
    ],
    [
      "age empty",
      child.id,
      { age: "" },
      400,
      bodies.invalid("age must have at least one character!"),
    ],
    [
      "age zero",
      child.id,
      { age: 0 },
      400,
      bodies.invalid(
        "Age cannot be less than or equal to zero!",
      ),
    ],
    ["age bad date", child.id, { age: "2010-1-1" }, 400, badDate("2010-1-1")],
    [
      "numeric age needs age_calc_date",
      child.id,
      { age: 12 },
      400,
      bodies.required(
        "age_calc_date",
      ),
    ],
    [
      "age_calc_date needs age",
      child.id,
      { age_calc_date: "2020-01-01" },
      400,
      bodies.required(
        "age",
      ),
    ],
    [
      "age_calc_date invalid",
      child.id,
      { age: 12, age_calc_date: 1 },
      400,
      bodies.invalid(
        "age_calc_date must be a string!",
      ),
    ],
    [
      "age_calc_date in the future",
      child.id,
      {
        age: 12,
        age_calc_date: tomorrow,
      },
      400,
      futureDate(tomorrow),
    ],
    ["not found after validation", UNKNOWN, { username: other.username }, 404, notFound],
    ["another child's username", child.id, { username: other.username }, 409, {
      code: 409,
      message: "Child is already registered...",
    }],
    [
      "conflict before the institution check",
      child.id,
      {
        username: other.username,
        institution_id: UNKNOWN,
      },
      409,
      { code: 409, message: "Child is already registered..." },
    ],
    ["unknown institution", child.id, { institution_id: UNKNOWN }, 400, institutionNotRegistered],
  ];
  for (const [name, id, body, status, expected] of cases) {
    const path = id.startsWith("/") ? id : `/v1/children/${id}`;
    const res = await t.request("PATCH", path, { token: admin.token, body });
    assertEquals(res.status, status, name);
    assertEquals(await res.json(), expected, name);
  }
  const unchanged = await t.request("GET", `/v1/children/${child.id}`, { token: admin.token });
  assertEquals(await unchanged.json(), child);
});

Deno.test("PATCH /v1/children/:child_id sets a numeric age with its date", async () => {
  const child = await createChild({ age: "2012-01-01", age_calc_date: undefined });
  const res = await t.request("PATCH", `/v1/children/${child.id}`, {
    token: admin.token,
    body: { age: 8, age_calc_date: "2020-02-02" },
  });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals([body.age, body.age_calc_date], ["8", "2020-02-02"]);
});

Deno.test("GET /v1/children pages, sorts and filters, with the unfiltered total", async () => {
  const list = await startTestApp();
  try {
    const token = (await list.login("admin")).token;
    const school = await list.createInstitution();
    const other = await list.createInstitution();
    const make = async (username: string, fields: Record<string, unknown>) => {
      const res = await list.request("POST", "/v1/children", {
        token,
        body: {
          username,
          password: "p",
          institution_id: school.id,
          gender: "male",
          age: 10,
          age_calc_date: "2020-01-01",
          ...fields,
        },
      });
      assertEquals(res.status, 201);
      list.clock.advance(1000);
    };
    await make("Ana", { gender: "female", age: 9 });
    await make("bruno", { age: 10 });
    await make("Álvaro", { age: 11, institution_id: other.id });
    await make("carla", { gender: "female", age: "2012-01-01", age_calc_date: undefined });
    await list.createUser("educator", { username: "ana" });
    const names = async (query: string) => {
      const res = await list.request("GET", `/v1/children${query}`, { token });
      assertEquals(res.status, 200, query);
      assertEquals(res.headers.get("X-Total-Count"), "4", query);
      return (await res.json()).map((c: { username: string }) => c.username);
    };
    const cases: [string, string[]][] = [
      ["", ["carla", "Álvaro", "bruno", "Ana"]],
      ["?limit=2", ["carla", "Álvaro"]],
      ["?limit=2&page=2", ["bruno", "Ana"]],
      ["?limit=2&page=3", []],
      // Usernames compare lower-cased, code unit by code unit: "á" comes after "z".
      ["?sort=username", ["Ana", "bruno", "carla", "Álvaro"]],
      ["?sort=-username", ["Álvaro", "carla", "bruno", "Ana"]],
      ["?sort=gender,-username", ["Álvaro", "carla", "bruno", "Ana"]],
      ["?sort=-gender,age", ["bruno", "Álvaro", "Ana", "carla"]],
      ["?sort=age", ["Ana", "bruno", "Álvaro", "carla"]],
      ["?username=ANA", ["Ana"]],
      ["?username=an", []],
      ["?username=a*", ["Álvaro", "Ana"]],
      ["?username=*r*&sort=username", ["bruno", "carla", "Álvaro"]],
      ["?username=*A&sort=-username", ["carla", "Ana"]],
      ["?username=a*&limit=1&page=2", ["Ana"]],
      ["?gender=female", ["carla", "Ana"]],
      ["?gender=female,male&limit=1", ["carla"]],
      ["?age=10", ["bruno"]],
      // Comparisons on text fields compare text: "9" comes after "10".
      ["?age=gte:10&sort=age", ["Ana", "bruno", "Álvaro", "carla"]],
      ["?age=lt:2&sort=age", ["bruno", "Álvaro"]],
      [`?institution=${other.id.toUpperCase()}`, ["Álvaro"]],
      ["?fitbit_status=none&limit=1", ["carla"]],
      ["?password=p", []],
      ["?type=child", []],
      ["?last_login=gte:2000-01-01", []],
    ];
    for (const [query, expected] of cases) assertEquals(await names(query), expected, query);
  } finally {
    await list.close();
  }
});

Deno.test("GET /v1/children: filter values that cannot be cast answer 400", async () => {
  const cases: [string, unknown][] = [
    ["?institution=123", {
      code: 400,
      message: "Some ID provided does not have a valid format!",
      description: "A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.",
    }],
    ["?last_sync=yesterday", {
      code: 400,
      message: "The value 'yesterday' of last_sync field is invalid.",
    }],
    ["?last_login=gt:x", { code: 400, message: "The value 'x' of last_login field is invalid." }],
  ];
  for (const [query, expected] of cases) {
    const res = await t.request("GET", `/v1/children${query}`, { token: admin.token });
    assertEquals(res.status, 400, query);
    assertEquals(await res.json(), expected, query);
  }
});

Deno.test("(close the test database)", () => t.close());
