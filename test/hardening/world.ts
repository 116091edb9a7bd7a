import type { UserType } from "../../src/auth/scopes.ts";
import {
  activityBody,
  bodyFatBody,
  environmentBody,
  sleepBody,
  weightBody,
} from "../../src/tracking/testing.ts";
import { startTestApp, type TestApp } from "../harness.ts";

/**
 * A small populated platform for the hardening sweeps: one of every account, a group,
 * a family link and one record of every tracking resource, so that every route of the
 * API reference can be called with ids that exist. Routes come from the app's own
 * OpenAPI document, so a route added later is swept without editing the tests.
 */

/** One route of the API reference. */
export interface Route {
  method: string;
  /** The template, `{name}` for parameters. */
  template: string;
  /** Whether the route reads a JSON body. */
  hasBody: boolean;
}

type PathItem = Record<string, unknown> & { servers?: { url: string }[] };
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every route the OpenAPI document lists. */
export async function routesOf(t: TestApp): Promise<Route[]> {
  const doc = await (await t.request("GET", "/v1/openapi.json")).json();
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, PathItem>)) {
    // A path item may carry its own server (the NFC lookup's), which its path continues.
    const template = `${new URL(item.servers?.[0]?.url ?? "/", "http://local").pathname}${path}`
      .replace(/^\/\//, "/");
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const hasBody = (operation as { requestBody?: unknown }).requestBody !== undefined;
      routes.push({ method: method.toUpperCase(), template, hasBody });
    }
  }
  return routes;
}

/** The tokens and ids of the populated platform. */
export interface World {
  tokens: Record<UserType, string>;
  /** A value for every path parameter name. */
  params: Record<string, string>;
  /** Values that differ on one route (by template). */
  overrides: Record<string, Record<string, string>>;
}

/** Fills a route template with the world's ids. */
export function pathOf(route: Route, world: World): string {
  return route.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = world.overrides[route.template]?.[name] ?? world.params[name];
    if (value === undefined) throw new Error(`no fixture value for {${name}}`);
    return value;
  });
}

const CALLERS: UserType[] = [
  "admin",
  "application",
  "educator",
  "healthprofessional",
  "family",
  "child",
];

/**
 * The token of the first user type the route lets through (a plain request is not
 * refused with 403), so a sweep reaches the route's own code. Deletes are not probed.
 */
export async function tokenFor(t: TestApp, world: World, route: Route): Promise<string> {
  for (const type of CALLERS) {
    const token = world.tokens[type];
    const res = await t.request(route.method, pathOf(route, world), {
      token,
      raw: route.hasBody ? "{}" : undefined,
    });
    await res.body?.cancel();
    if (res.status !== 403) return token;
  }
  return world.tokens.admin;
}

/** Creates the populated platform. */
export async function populate(t: TestApp): Promise<World> {
  const institution = await t.createInstitution();
  const inst = { institutionId: institution.id };
  const admin = await t.login("admin");
  const application = await t.login("application", { ...inst, applicationName: "App" });
  const child = await t.login("child", {
    ...inst,
    gender: "male",
    age: "9",
    ageCalcDate: "2020-01-01",
    nfcTag: "tag-1",
  });
  const educator = await t.login("educator", inst);
  const professional = await t.login("healthprofessional", inst);
  const family = await t.login("family", inst);
  await t.linkFamily(family.id, [child.id]);
  const group = await t.createGroup(educator.id, [child.id]);
  await t.createGroup(professional.id, [child.id]);
  const create = async (path: string, body: unknown) => {
    const res = await t.request("POST", path, { token: application.token, body });
    if (res.status !== 201) throw new Error(`fixture ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()).id as string;
  };
  const childPath = `/v1/children/${child.id}`;
  const params: Record<string, string> = {
    user_id: child.id,
    child_id: child.id,
    institution_id: institution.id,
    educator_id: educator.id,
    healthprofessional_id: professional.id,
    family_id: family.id,
    application_id: application.id,
    group_id: group,
    nfc_tag: "tag-1",
    // The reference page's files: any tag and file name reach the route's own code.
    tag: "swagger-ui",
    file: "reference.js",
    resource: "steps",
    date_start: "2019-01-01",
    date_end: "2019-01-31",
    physicalactivity_id: await create(`${childPath}/physicalactivities`, activityBody()),
    sleep_id: await create(`${childPath}/sleep`, sleepBody()),
    weight_id: await create(`${childPath}/weights`, weightBody()),
    bodyfat_id: await create(`${childPath}/bodyfats`, bodyFatBody()),
    environment_id: await create(
      `/v1/institutions/${institution.id}/environments`,
      environmentBody(),
    ),
  };
  return {
    tokens: {
      admin: admin.token,
      application: application.token,
      child: child.token,
      educator: educator.token,
      healthprofessional: professional.token,
      family: family.token,
    },
    params,
    // Users change only their own password (children cannot at all).
    overrides: { "/v1/users/{user_id}/password": { user_id: family.id } },
  };
}

/** Runs `work` on a fresh app with these settings, then closes it. */
export async function withApp(
  env: Record<string, string>,
  work: (t: TestApp) => Promise<void>,
): Promise<void> {
  const t = await startTestApp(env);
  try {
    await work(t);
  } finally {
    await t.close();
  }
}
