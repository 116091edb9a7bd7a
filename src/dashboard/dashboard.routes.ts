/**
 * The web dashboard under `/app`: its route table and its mounting. The routes are pages
 * and forms, not API operations (the OpenAPI document leaves them out); the access guard
 * lets them through as public routes, each page checks the session itself, and every
 * read and change of data is a call to the API (see api.ts and docs/dashboard.md).
 */
import { type Handler, Hono } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import type { Fetcher } from "./api.ts";
import { dashboardAssets } from "./assets.ts";
import { childPage } from "./child.ts";
import { familyChildren } from "./children.ts";
import { createGroup, editGroup, groupList, newGroup, updateGroup } from "./groups.ts";
import {
  createInstitution,
  editInstitution,
  institutionList,
  newInstitution,
  updateInstitution,
} from "./institutions.ts";
import type { Dashboard } from "./page.ts";
import { home, signIn, signInForm, signOut } from "./sign-in.ts";
import { createUser, editUser, newUser, updateUser, userList } from "./users.ts";
import { connectWearable, revokeWearable, syncWearable } from "./wearable.ts";

/** One dashboard route: method, whole path, its id (as in the guard's table) and handler. */
export interface DashboardRoute {
  method: "GET" | "POST";
  path: string;
  id: string;
  handler: (dash: Dashboard) => Handler<AppEnv>;
}

/** `GET /app/assets/:tag/:file`: the stylesheet and icon, cached for a year. */
function asset(): Handler<AppEnv> {
  return (c) => {
    const assets = dashboardAssets();
    const file = c.req.param("tag") === assets.tag
      ? assets.files.get(c.req.param("file") ?? "")
      : undefined;
    if (!file) return c.text("Not found", 404);
    return c.body(file.body, 200, {
      "Content-Type": file.type,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  };
}

const get = (path: string, id: string, handler: DashboardRoute["handler"]): DashboardRoute => ({
  method: "GET",
  path,
  id,
  handler,
});
const post = (path: string, id: string, handler: DashboardRoute["handler"]): DashboardRoute => ({
  method: "POST",
  path,
  id,
  handler,
});

/**
 * Every dashboard route (literal segments before parameters in the same place). The
 * access guard's table has a public row for each (src/access/permissions.ts, ids DB…).
 */
export const DASHBOARD_ROUTES: readonly DashboardRoute[] = [
  get("/app", "DB1", home),
  get("/app/sign-in", "DB2", signInForm),
  post("/app/sign-in", "DB3", signIn),
  post("/app/sign-out", "DB4", signOut),
  get("/app/assets/:tag/:file", "DB5", asset),
  get("/app/institutions", "DB6", institutionList),
  get("/app/institutions/new", "DB7", newInstitution),
  post("/app/institutions", "DB8", createInstitution),
  get("/app/institutions/:institution/edit", "DB9", editInstitution),
  post("/app/institutions/:institution", "DB10", updateInstitution),
  get("/app/users/:kind", "DB11", userList),
  get("/app/users/:kind/new", "DB12", newUser),
  post("/app/users/:kind", "DB13", createUser),
  get("/app/users/:kind/:user/edit", "DB14", editUser),
  post("/app/users/:kind/:user", "DB15", updateUser),
  get("/app/groups", "DB16", groupList),
  get("/app/groups/new", "DB17", newGroup),
  post("/app/groups", "DB18", createGroup),
  get("/app/groups/:group/edit", "DB19", editGroup),
  post("/app/groups/:group", "DB20", updateGroup),
  get("/app/children", "DB21", familyChildren),
  get("/app/children/:child", "DB22", childPage),
  post("/app/children/:child/wearable/connect", "DB23", connectWearable),
  post("/app/children/:child/wearable/sync", "DB24", syncWearable),
  post("/app/children/:child/wearable/revoke", "DB25", revokeWearable),
];

/**
 * The dashboard's routes as a sub-app with whole paths; mount with
 * `app.route("/", dashboardRoutes(deps, () => app))`. `app` is the whole service,
 * whose API the pages call in process.
 */
export function dashboardRoutes(deps: Deps, app: () => Fetcher): Hono<AppEnv> {
  const dash: Dashboard = { deps, app };
  const routes = new Hono<AppEnv>({ strict: false });
  for (const route of DASHBOARD_ROUTES) {
    routes.on(route.method, route.path, route.handler(dash));
  }
  return routes;
}
