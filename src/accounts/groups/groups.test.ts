import { eq } from "drizzle-orm";
import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { childrenGroupMembers, childrenGroups } from "../../db/schema/index.ts";
import { EDUCATOR, HEALTH_PROFESSIONAL } from "../professionals/professionals.kinds.ts";

const t = await startTestApp();
const inst = await t.createInstitution();
const UNKNOWN = "507f191e810c19729de860ea";
const noIdItem = bodies.invalid(
  "Children field contains invalid IDs. It is expected that each item in the array is a " +
    "24-byte hex string like this: 507f191e810c19729de860ea",
);

/** A child as it appears inside a group. */
async function nestedChild() {
  const child = await t.createUser("child", {
    institutionId: inst.id,
    gender: "female",
    age: "10",
    ageCalcDate: "2020-01-01",
    nfcTag: `tag-${crypto.randomUUID()}`,
  });
  return {
    id: child.id,
    username: child.username,
    institution_id: inst.id,
    gender: "female",
    age: "10",
    age_calc_date: "2020-01-01",
    fitbit_status: "none",
  };
}

const kinds = [
  { ...EDUCATOR, base: "/v1/educators" },
  { ...HEALTH_PROFESSIONAL, base: "/v1/healthprofessionals" },
];

for (const kind of kinds) {
  const owner = await t.login(kind.type, { institutionId: inst.id });
  const groups = `${kind.base}/${owner.id}/children/groups`;
  const [a, b] = [await nestedChild(), await nestedChild()];
  const groupNotFound = {
    code: 404,
    message: "Children Group not found!",
    description:
      "Children Group not found or already removed. A new operation for the same resource is not required.",
  };
  const conflict = { code: 409, message: "Children Group is already registered..." };
  const ownerNotFound = {
    code: 400,
    message: `${kind.label} not found!`,
    description:
      `${kind.label} not found or already removed. A new operation for the same resource is not required.`,
  };
  const send = (method: string, path: string, body?: unknown, token = owner.token) =>
    t.request(method, path, { token, body });
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await send("POST", groups, {
      name: `g-${crypto.randomUUID()}`,
      children: [a.id],
      ...body,
    });
    assertEquals(res.status, 201);
    return await res.json();
  };

  Deno.test(`POST ${kind.base}/:id/children/groups: every item form, duplicates removed, order kept`, async () => {
    const res = await send("POST", groups, {
      id: UNKNOWN,
      user: UNKNOWN,
      name: "Class 4A",
      school_class: "4A",
      children: [
        b.id.toUpperCase(),
        { id: a.id, username: "ignored" },
        JSON.stringify({ id: b.id }),
      ],
    });
    assertEquals(res.status, 201);
    const body = await res.json();
    assertEquals(Object.keys(body), ["id", "name", "children", "school_class"]);
    assertEquals({ ...body, id: "" }, {
      id: "",
      name: "Class 4A",
      children: [b, a],
      school_class: "4A",
    });
  });

  const createCases: [string, Record<string, unknown>, unknown][] = [
    ["name not a string", { name: 3 }, bodies.invalid("name must be a string!")],
    ["name empty", { name: "" }, bodies.invalid("name must have at least one character!")],
    [
      "school_class not a string",
      { school_class: 1 },
      bodies.invalid("school_class must be a string!"),
    ],
    ["school_class empty", {
      school_class: "",
    }, bodies.invalid("school_class must have at least one character!")],
    ["children not an array", { children: a.id }, bodies.invalid("children must be an array!")],
    [
      "children an object",
      { children: { id: a.id } },
      bodies.invalid("children must be an array!"),
    ],
    ["an empty item", { children: [a.id, ""] }, noIdItem],
    ["a number item", { children: [5] }, noIdItem],
    ["an object without id", { children: [{ name: "x" }] }, noIdItem],
    ["a null item (the original crashed)", { children: [null] }, noIdItem],
    ["no-id item wins over bad ids", { children: ["123", null] }, noIdItem],
    [
      "ids not hex, all listed",
      { children: ["123", a.id, "zzz"] },
      bodies.invalid(
        "The following IDs from children attribute are not in valid format: 123, zzz",
      ),
    ],
    [
      "an object with a bad id",
      { children: [{ id: "42" }] },
      bodies.invalid(
        "The following IDs from children attribute are not in valid format: 42",
      ),
    ],
    ["name missing", { name: undefined }, bodies.required("name")],
    ["children missing", { children: undefined }, bodies.required("Collection with children IDs")],
    ["children empty", { children: [] }, bodies.required("Collection with children IDs")],
    ["both missing", {
      name: undefined,
      children: [],
    }, bodies.required("name, Collection with children IDs")],
    [
      "name before school_class",
      { name: 1, school_class: 1 },
      bodies.invalid("name must be a string!"),
    ],
    ["school_class before children", {
      school_class: 1,
      children: 1,
    }, bodies.invalid("school_class must be a string!")],
    ["invalid before missing", { name: undefined, children: [1] }, noIdItem],
  ];
  for (const [title, patch, expected] of createCases) {
    Deno.test(`POST ${kind.base}/:id/children/groups validation: ${title}`, async () => {
      const res = await send("POST", groups, { name: "valid", children: [a.id], ...patch });
      assertEquals(res.status, 400);
      assertEquals(await res.json(), expected);
    });
  }

  Deno.test(`POST ${kind.base}/:id/children/groups: owner gone (400, before the body), 409 per owner, unregistered children`, async () => {
    const ghost = { id: "5f00000000000000000000aa", type: kind.type };
    const ghostToken = await t.tokenFor(ghost);
    const gone = await send(
      "POST",
      `${kind.base}/${ghost.id}/children/groups`,
      { name: 1 },
      ghostToken,
    );
    assertEquals(gone.status, 400);
    assertEquals(await gone.json(), ownerNotFound);

    const first = await create({ name: "Same name" });
    const taken = await send("POST", groups, { name: "Same name", children: [UNKNOWN] });
    assertEquals(taken.status, 409);
    assertEquals(await taken.json(), conflict);
    // Another owner may use the same name and children.
    const other = await t.login(kind.type, { institutionId: inst.id });
    const elsewhere = await send(
      "POST",
      `${kind.base}/${other.id}/children/groups`,
      { name: "Same name", children: [a.id] },
      other.token,
    );
    assertEquals(elsewhere.status, 201);
    assertEquals((await elsewhere.json()).children, first.children);

    const educatorId = kind.type === "educator" ? owner.id : (await t.createUser("educator")).id;
    const missing = await send("POST", groups, {
      name: "New",
      children: [a.id, UNKNOWN, educatorId],
    });
    assertEquals(missing.status, 400);
    assertEquals(await missing.json(), {
      code: 400,
      message: "It is necessary for children to be registered before proceeding.",
      description:
        `The following IDs were verified without registration: ${UNKNOWN}, ${educatorId}`,
    });
  });

  Deno.test(`GET ${kind.base}/:id/children/groups lists the owner's groups only, with the owner's total`, async () => {
    const lister = await t.login(kind.type, { institutionId: inst.id });
    const path = `${kind.base}/${lister.id}/children/groups`;
    const empty = await send("GET", path, undefined, lister.token);
    assertEquals(empty.status, 200);
    assertEquals(empty.headers.get("X-Total-Count"), "0");
    assertEquals(await empty.json(), []);
    for (const [name, schoolClass] of [["Beta", "2B"], ["alpha", "1A"], ["Gamma", undefined]]) {
      const res = await send(
        "POST",
        path,
        { name, children: [a.id], school_class: schoolClass },
        lister.token,
      );
      assertEquals(res.status, 201);
      t.clock.advance(1000);
    }
    await create(); // someone else's group
    const names = async (query: string) => {
      const res = await send("GET", `${path}${query}`, undefined, lister.token);
      assertEquals(res.status, 200, query);
      assertEquals(res.headers.get("X-Total-Count"), "3", query);
      return (await res.json()).map((g: { name: string }) => g.name);
    };
    assertEquals(await names(""), ["Gamma", "alpha", "Beta"]);
    assertEquals(await names("?sort=name"), ["alpha", "Beta", "Gamma"]);
    assertEquals(await names("?sort=-name&limit=2&page=2"), ["alpha"]);
    assertEquals(await names("?school_class=1A,2B&sort=name"), ["alpha", "Beta"]);
    assertEquals(await names("?name=*a"), ["Gamma", "alpha", "Beta"]);
  });

  Deno.test(`GET ${kind.base}/:id/children/groups: owner not found gives 400`, async () => {
    const ghost = { id: "5f00000000000000000000ab", type: kind.type };
    const token = await t.tokenFor(ghost);
    for (const suffix of ["", `/${UNKNOWN}`]) {
      const res = await send(
        "GET",
        `${kind.base}/${ghost.id}/children/groups${suffix}`,
        undefined,
        token,
      );
      assertEquals(res.status, 400, suffix);
      assertEquals(await res.json(), ownerNotFound, suffix);
    }
  });

  Deno.test(`GET ${kind.base}/:id/children/groups/:group_id: own group 200, another owner's 404, bad ids 400`, async () => {
    const group = await create({ school_class: "3C" });
    const foreign = await t.createGroup((await t.createUser(kind.type)).id, [a.id]);
    const cases: [string, number, unknown][] = [
      [`${groups}/${group.id}`, 200, group],
      [`${groups}/${group.id.toUpperCase()}`, 200, group],
      [`${groups}/${foreign}`, 404, groupNotFound],
      [`${groups}/${UNKNOWN}`, 404, groupNotFound],
      [`${groups}/123`, 400, bodies.badParam("group_id")],
      [`${kind.base}/123/children/groups/${group.id}`, 400, bodies.badParam(kind.idParam)],
      [`${kind.base}/123/children/groups/456`, 400, bodies.badParam(kind.idParam)],
    ];
    for (const [path, status, expected] of cases) {
      const res = await send("GET", path);
      assertEquals(res.status, status, path);
      assertEquals(await res.json(), expected, path);
    }
  });

  Deno.test(`PATCH ${kind.base}/:id/children/groups/:group_id replaces children, keeps the owner, answers in order`, async () => {
    const group = await create({ name: "Patch me", school_class: "1A" });
    const sibling = await create({ name: "Sibling" });
    const otherOwner = await t.createUser(kind.type);
    const foreign = await t.createGroup(otherOwner.id, [a.id], "Foreign");
    const path = `${groups}/${group.id}`;
    const cases: [string, string, Record<string, unknown>, number, unknown][] = [
      ["name", path, { name: 1 }, 400, bodies.invalid("name must be a string!")],
      [
        "school_class",
        path,
        { school_class: "" },
        400,
        bodies.invalid(
          "school_class must have at least one character!",
        ),
      ],
      ["children", path, { children: [null] }, 400, noIdItem],
      [
        "children format",
        path,
        { children: ["x"] },
        400,
        bodies.invalid(
          "The following IDs from children attribute are not in valid format: x",
        ),
      ],
      ["sibling's name", path, { name: "Sibling" }, 409, conflict],
      ["conflict before unknown group", `${groups}/${UNKNOWN}`, { name: "Sibling" }, 409, conflict],
      ["children unregistered", path, { children: [UNKNOWN] }, 400, {
        code: 400,
        message: "It is necessary for children to be registered before proceeding.",
        description: `The following IDs were verified without registration: ${UNKNOWN}`,
      }],
      ["unknown group", `${groups}/${UNKNOWN}`, { name: "X" }, 404, groupNotFound],
      ["another owner's group", `${groups}/${foreign}`, { name: "Taken over" }, 404, groupNotFound],
      ["own name again", path, { name: "Patch me" }, 200, group],
      ["replace children", path, { children: [b.id, a.id, b.id] }, 200, {
        ...group,
        children: [b, a],
      }],
      ["empty children", path, { children: [], name: "Renamed" }, 200, {
        ...group,
        name: "Renamed",
        children: [],
      }],
    ];
    for (const [title, target, body, status, expected] of cases) {
      const res = await send("PATCH", target, body);
      assertEquals(res.status, status, title);
      assertEquals(await res.json(), expected, title);
    }
    const [stored] = await t.db.select().from(childrenGroups).where(eq(childrenGroups.id, foreign));
    assertEquals([stored.ownerId, stored.name], [otherOwner.id, "Foreign"]);
    const siblingNow = await send("GET", `${groups}/${sibling.id}`);
    assertEquals(await siblingNow.json(), sibling);
  });

  Deno.test(`DELETE ${kind.base}/:id/children/groups/:group_id deletes only the owner's groups, always 204`, async () => {
    const group = await create();
    const otherOwner = await t.createUser(kind.type);
    const foreign = await t.createGroup(otherOwner.id, [a.id, b.id]);
    const members = async (groupId: string) =>
      (await t.db.select().from(childrenGroupMembers).where(
        eq(childrenGroupMembers.groupId, groupId),
      ))
        .length;
    for (const target of [group.id, group.id, foreign, UNKNOWN]) {
      const res = await send("DELETE", `${groups}/${target}`);
      assertEquals(res.status, 204, target);
      assertEquals(await res.text(), "");
    }
    const gone = await send("GET", `${groups}/${group.id}`);
    assertEquals(gone.status, 404);
    await gone.body?.cancel();
    assertEquals(await members(group.id), 0);
    assertEquals(await members(foreign), 2);
    const ghost = { id: "5f00000000000000000000ac", type: kind.type };
    const ghostDelete = await send(
      "DELETE",
      `${kind.base}/${ghost.id}/children/groups/${foreign}`,
      undefined,
      await t.tokenFor(ghost),
    );
    assertEquals(ghostDelete.status, 204);
    assertEquals(await members(foreign), 2);
  });

  Deno.test(`${kind.base} groups drop children that no longer exist`, async () => {
    const gone = "5f00000000000000000000ad";
    const groupId = await t.createGroup(owner.id, [gone, a.id]);
    const res = await send("GET", `${groups}/${groupId}`);
    assertEquals(res.status, 200);
    assertEquals((await res.json()).children, [a]);
  });
}

Deno.test("(close the test database)", () => t.close());
