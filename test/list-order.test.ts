import type { UserType } from "../src/auth/scopes.ts";
import {
  activityBody,
  bodyFatBody,
  environmentBody,
  nextInstant,
  sleepBody,
  weightBody,
} from "../src/tracking/testing.ts";
import { assertEquals } from "./assert.ts";
import { startTestApp } from "./harness.ts";

/**
 * Issue 12, item 7: on every list, records that tie on the sort field come in insertion
 * order, oldest first, whichever the direction (the original's store returned them so);
 * with no sort the list stays newest first. `sort=username` compares the lower-cased
 * names as plain text (account.md §1.8).
 *
 * Each case stores three records that tie on the sort field: the first two at the same
 * instant (so only insertion order tells them apart), the third a second later.
 */

const t = await startTestApp();
const admin = await t.login("admin");
const app = await t.login("application");

/** One list: how to store a record that ties on `sort`, and where to read the list. */
interface ListCase {
  name: string;
  sort: string;
  /** Stores `count` tying records at the current instant; returns their ids in order. */
  store(count: number): Promise<string[]>;
  path: string;
  token: string;
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

function userCase(type: Exclude<UserType, "admin">, path: string, sort: string): ListCase {
  const prefix = unique(`ties-${type}`);
  const institution = t.createInstitution();
  return {
    name: `${path}?sort=${sort}`,
    sort,
    path: `${path}?username=${prefix}*`,
    token: admin.token,
    async store(count) {
      const institutionId = (await institution).id;
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const user = await t.createUser(type, {
          username: unique(prefix),
          institutionId,
          gender: "female",
          age: "7",
          applicationName: "Same app",
        });
        ids.push(user.id);
      }
      return ids;
    },
  };
}

/** A tracking collection: records stored with one bulk POST each time. */
function bulkCase(collection: string, sort: string, body: () => unknown): ListCase {
  return {
    name: `${collection.split("/").pop()}?sort=${sort}`,
    sort,
    path: collection,
    token: app.token,
    async store(count) {
      const res = await t.request("POST", collection, {
        token: app.token,
        body: Array.from({ length: count }, body),
      });
      const answer = await res.json();
      assertEquals(answer.error, []);
      return answer.success.map((s: { item: { id: string } }) => s.item.id);
    },
  };
}

const childPath = async () => `/v1/children/${(await t.createUser("child")).id}`;
const school = await t.createInstitution();
const institutionPrefix = unique("ties-institution");
const owner = await t.createUser("educator");
const cases: ListCase[] = [
  userCase("child", "/v1/children", "age"),
  userCase("child", "/v1/children", "gender"),
  userCase("educator", "/v1/educators", "institution"),
  userCase("healthprofessional", "/v1/healthprofessionals", "institution"),
  userCase("family", "/v1/families", "institution"),
  userCase("application", "/v1/applications", "application_name"),
  {
    name: "/v1/institutions?sort=type",
    sort: "type",
    path: `/v1/institutions?name=${institutionPrefix}*`,
    token: admin.token,
    async store(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push((await t.createInstitution({ name: unique(institutionPrefix) })).id);
      }
      return ids;
    },
  },
  {
    name: "educator groups?sort=school_class",
    sort: "school_class",
    path: `/v1/educators/${owner.id}/children/groups`,
    token: await t.tokenFor(owner),
    async store(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await t.createGroup(owner.id, []));
      return ids;
    },
  },
  bulkCase(`${await childPath()}/physicalactivities`, "name", () => activityBody(nextInstant())),
  bulkCase(`${await childPath()}/sleep`, "type", () => sleepBody(nextInstant())),
  bulkCase(`${await childPath()}/weights`, "value", () => weightBody(nextInstant())),
  bulkCase(`${await childPath()}/bodyfats`, "value", () => bodyFatBody(nextInstant(), 20)),
  bulkCase(
    `/v1/institutions/${school.id}/environments`,
    "location.room",
    () => environmentBody(nextInstant(), "Room 1"),
  ),
];

async function idsOf(path: string, token: string): Promise<string[]> {
  const res = await t.request("GET", path, { token });
  assertEquals(res.status, 200, path);
  return (await res.json()).map((item: { id: string }) => item.id);
}

const withQuery = (path: string, query: string) =>
  `${path}${path.includes("?") ? "&" : "?"}${query}`;

for (const list of cases) {
  Deno.test(`list order: ${list.name}: ties oldest first both ways, newest first unsorted`, async () => {
    const together = await list.store(2);
    t.clock.advance(1000);
    const later = await list.store(1);
    const inserted = [...together, ...later];
    assertEquals(await idsOf(withQuery(list.path, `sort=${list.sort}`), list.token), inserted);
    assertEquals(await idsOf(withQuery(list.path, `sort=-${list.sort}`), list.token), inserted);
    assertEquals(await idsOf(list.path, list.token), [...inserted].reverse());
  });
}

Deno.test("list order: a family's children tie on username in the family's stored order", async () => {
  const family = await t.createUser("family");
  const kids = [];
  for (const username of ["kid-tie", "KID-TIE", "Kid-Tie"]) {
    kids.push((await t.createUser("child", { username })).id);
  }
  await t.linkFamily(family.id, kids);
  const path = `/v1/families/${family.id}/children`;
  assertEquals(await idsOf(`${path}?sort=username`, admin.token), kids);
  assertEquals(await idsOf(`${path}?sort=-username`, admin.token), kids);
});

const usernameOrder: [string, string[]][] = [
  ["sort=username", ["br 10", "BR 205c", "BR 9bc", "br a"]],
  ["sort=-username", ["br a", "BR 9bc", "BR 205c", "br 10"]],
];

for (const username of ["BR 9bc", "BR 205c", "br 10", "br a"]) {
  await t.createUser("healthprofessional", { username });
}

for (const [query, expected] of usernameOrder) {
  Deno.test(`list order: ${query} compares lower-cased names as plain text`, async () => {
    const res = await t.request("GET", `/v1/healthprofessionals?username=br*&${query}`, {
      token: admin.token,
    });
    assertEquals((await res.json()).map((u: { username: string }) => u.username), expected);
  });
}

Deno.test("(close the test database)", () => t.close());
