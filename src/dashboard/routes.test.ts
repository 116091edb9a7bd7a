/**
 * The dashboard's routes and the access guard: each route has its public row (and only
 * dashboard routes have such rows), none is in the OpenAPI document, every page carries
 * the strict policy, and every form that changes something refuses a request without
 * the session's CSRF value or from another origin, changing nothing.
 */
import { sql } from "drizzle-orm";
import { assertEquals, assertMatch } from "../../test/assert.ts";
import { DashboardClient } from "../../test/dashboard/client.ts";
import { buildWorld } from "../../test/dashboard/world.ts";
import { startTestApp } from "../../test/harness.ts";
import { ENDPOINTS } from "../domains.ts";
import { DASHBOARD_ROUTES, dashboardEndpoints } from "./dashboard.routes.ts";
import { DASHBOARD_CSP } from "./layout.ts";

Deno.test("every dashboard page is a public definition, none among the API's endpoints", () => {
  const pages = dashboardEndpoints(() => ({ fetch: () => new Response() }));
  assertEquals(pages.map((p) => p.access.scopes), pages.map(() => "public"));
  assertEquals(pages.filter((p) => !p.path.startsWith("/app")).length, 0);
  assertEquals(ENDPOINTS.filter((e) => e.path.startsWith("/app")).length, 0);
  const ids = pages.map((p) => p.id);
  assertEquals(ids.filter((id, i) => ids.indexOf(id) !== i), [], "ids are unique");
});

const t = await startTestApp();
const world = await buildWorld(t);

Deno.test("the OpenAPI document has no dashboard path", async () => {
  const document = await (await t.request("GET", "/v1/openapi.json")).json();
  assertEquals(Object.keys(document.paths).filter((path) => path.startsWith("/app")), []);
});

Deno.test("pages carry the strict policy, are never cached and load only our own files", async () => {
  const anonymous = new DashboardClient(t);
  const client = new DashboardClient(t);
  await client.signIn("family.lima");
  for (const path of ["/app/sign-in", "/app/children", `/app/children/${world.ana.id}`]) {
    const page = await (path === "/app/sign-in" ? anonymous : client).get(path);
    assertEquals(page.status, 200, path);
    assertEquals(page.headers.get("Content-Security-Policy"), DASHBOARD_CSP);
    assertEquals(page.headers.get("Cache-Control"), "no-store");
    assertEquals(/<script|\sstyle=|\son[a-z]+=/i.test(page.text), false, `${path}: nothing inline`);
    for (const [, url] of page.text.matchAll(/(?:href|src)="([^"]+)"/g)) {
      assertMatch(url, /^\/app\//, `${path} links only within the dashboard`);
    }
  }
});

Deno.test("the stylesheet is served under its content tag, cached for a year", async () => {
  const client = new DashboardClient(t);
  const page = await client.get("/app/sign-in");
  const css = page.text.match(/href="(\/app\/assets\/[^"]+\.css)"/)![1];
  const res = await client.get(css);
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("Content-Type"), "text/css; charset=utf-8");
  assertEquals(res.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  assertEquals((await client.get(css.replace(/assets\/\w+\//, "assets/old/"))).status, 404);
});

/** A submission of each form that would change something if it were accepted. */
const FORMS: Record<string, { user: string; path: () => string; fields: Record<string, string> }> =
  {
    "POST /app/sign-out": { user: "family.lima", path: () => "/app/sign-out", fields: {} },
    "POST /app/institutions": {
      user: "dash-admin",
      path: () => "/app/institutions",
      fields: { name: "Forged school", type: "School" },
    },
    "POST /app/institutions/:institution": {
      user: "dash-admin",
      path: () => `/app/institutions/${world.school.id}`,
      fields: { name: "Renamed", type: "School" },
    },
    "POST /app/users/:kind": {
      user: "dash-admin",
      path: () => "/app/users/educators",
      fields: { username: "forged", password: "x", institution_id: world.school.id },
    },
    "POST /app/users/:kind/:user": {
      user: "dash-admin",
      path: () => `/app/users/educators/${world.educator.id}`,
      fields: { username: "renamed", institution_id: world.school.id },
    },
    "POST /app/groups": {
      user: "ms.silva",
      path: () => "/app/groups",
      fields: { name: "Forged group", children: world.ana.id },
    },
    "POST /app/groups/:group": {
      user: "ms.silva",
      path: () => "/app/groups/000000000000000000000000",
      fields: { name: "Renamed" },
    },
    "POST /app/children/:child/wearable/connect": {
      user: "family.lima",
      path: () => `/app/children/${world.ana.id}/wearable/connect`,
      fields: {},
    },
    "POST /app/children/:child/wearable/sync": {
      user: "family.lima",
      path: () => `/app/children/${world.ana.id}/wearable/sync`,
      fields: {},
    },
    "POST /app/children/:child/wearable/revoke": {
      user: "family.lima",
      path: () => `/app/children/${world.ana.id}/wearable/revoke`,
      fields: {},
    },
  };

Deno.test("every form route of the table is covered below (sign-in has its own tests)", () => {
  assertEquals(
    DASHBOARD_ROUTES.filter((r) => r.method === "POST" && r.path !== "/app/sign-in")
      .map((r) => `${r.method} ${r.path}`).sort(),
    Object.keys(FORMS).sort(),
  );
});

/** Every row of every table (the database is small). */
async function snapshot() {
  const tables = await t.db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
  );
  const rows: Record<string, unknown> = {};
  for (const { name } of tables) {
    rows[name] = await t.db.all(sql.raw(`SELECT * FROM "${name}" ORDER BY rowid`));
  }
  return JSON.stringify(rows);
}

for (const [route, form] of Object.entries(FORMS)) {
  for (
    const [how, csrf, origin] of [
      ["without the CSRF value", "", undefined],
      ["with another session's value", "forged", undefined],
      ["from another origin", undefined, "https://evil.example"],
      ["without an Origin", undefined, null],
    ] as const
  ) {
    Deno.test(`${route} ${how}: the 403 page, nothing changed`, async () => {
      const client = new DashboardClient(t);
      await client.signIn(form.user);
      const before = await snapshot();
      const fields = csrf === undefined ? form.fields : { ...form.fields, _csrf: csrf };
      const page = await client.post(form.path(), fields, { origin });
      assertEquals(page.status, 403);
      assertMatch(page.text, /This form did not come from this site/);
      assertEquals(await snapshot(), before);
      assertEquals(client.cookies.has("ocariot_session"), true);
    });
  }
}

Deno.test("(close the app)", async () => {
  await t.close();
});
