/**
 * The web dashboard under `/app`, as endpoint definitions the access guard reads like
 * any other: public (each page checks its session itself, and every read and change of
 * data is a call to the API, see api.ts and docs/dashboard.md), answering HTML. They are
 * pages, not API operations: the composition root mounts them beside the API's
 * definitions, and the OpenAPI document and docs/permissions.md, built from the API's
 * list, leave them out.
 */
import type { Context, Handler } from "hono";
import { defineEndpoint, empty, type Endpoint, html, type ResponseDoc } from "../api/endpoint.ts";
import type { AppEnv } from "../core/context.ts";
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

/** One dashboard route: method, whole path, ids, one line, and its Hono handler. */
export interface DashboardRoute {
  method: "GET" | "POST";
  path: string;
  /** A short id in the style of the contract's (`DB…`). */
  id: string;
  operationId: string;
  summary: string;
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

type Route = [id: string, operationId: string, summary: string, DashboardRoute["handler"]];
/** A route of one method, its fields in a row. */
const routeOf =
  (method: DashboardRoute["method"]) =>
  (path: string, ...[id, operationId, summary, handler]: Route): DashboardRoute => ({
    method,
    path,
    id,
    operationId,
    summary,
    handler,
  });
const get = routeOf("GET");
const post = routeOf("POST");

/**
 * Every dashboard route (literal segments before parameters in the same place), each
 * becoming one public definition below.
 */
export const DASHBOARD_ROUTES: readonly DashboardRoute[] = [
  get("/app", "DB1", "dashboardHome", "The signed-in user's start page", home),
  get("/app/sign-in", "DB2", "dashboardSignInForm", "Sign-in form", signInForm),
  post("/app/sign-in", "DB3", "dashboardSignIn", "Sign in through POST /v1/auth", signIn),
  post("/app/sign-out", "DB4", "dashboardSignOut", "Sign out", signOut),
  get("/app/assets/:tag/:file", "DB5", "dashboardAsset", "Stylesheet and icon", asset),
  get("/app/institutions", "DB6", "dashboardInstitutions", "Institutions", institutionList),
  get("/app/institutions/new", "DB7", "dashboardNewInstitution", "New institution", newInstitution),
  post("/app/institutions", "DB8", "dashboardCreateInstitution", "Create", createInstitution),
  get(
    "/app/institutions/:institution/edit",
    "DB9",
    "dashboardEditInstitution",
    "Edit an institution",
    editInstitution,
  ),
  post(
    "/app/institutions/:institution",
    "DB10",
    "dashboardUpdateInstitution",
    "Update an institution",
    updateInstitution,
  ),
  get("/app/users/:kind", "DB11", "dashboardUsers", "Users of one type", userList),
  get("/app/users/:kind/new", "DB12", "dashboardNewUser", "New user", newUser),
  post("/app/users/:kind", "DB13", "dashboardCreateUser", "Create a user", createUser),
  get("/app/users/:kind/:user/edit", "DB14", "dashboardEditUser", "Edit a user", editUser),
  post("/app/users/:kind/:user", "DB15", "dashboardUpdateUser", "Update a user", updateUser),
  get("/app/groups", "DB16", "dashboardGroups", "The user's children groups", groupList),
  get("/app/groups/new", "DB17", "dashboardNewGroup", "New group", newGroup),
  post("/app/groups", "DB18", "dashboardCreateGroup", "Create a group", createGroup),
  get("/app/groups/:group/edit", "DB19", "dashboardEditGroup", "Edit a group", editGroup),
  post("/app/groups/:group", "DB20", "dashboardUpdateGroup", "Update a group", updateGroup),
  get("/app/children", "DB21", "dashboardFamilyChildren", "A family's children", familyChildren),
  get("/app/children/:child", "DB22", "dashboardChild", "A child's page", childPage),
  post(
    "/app/children/:child/wearable/connect",
    "DB23",
    "dashboardConnectWearable",
    "Start connecting a wearable",
    connectWearable,
  ),
  post(
    "/app/children/:child/wearable/sync",
    "DB24",
    "dashboardSyncWearable",
    "Sync the wearable now",
    syncWearable,
  ),
  post(
    "/app/children/:child/wearable/revoke",
    "DB25",
    "dashboardRevokeWearable",
    "Disconnect the wearable",
    revokeWearable,
  ),
];

/** What any page may answer: the page, a redirect, or an error page (the API's status). */
const PAGE_RESPONSES: Record<number, ResponseDoc> = {
  200: html("The page."),
  303: empty("To the sign-in page, or on to the next page after a form."),
  ...Object.fromEntries(
    [400, 403, 404, 409, 429, 500, 502, 503].map((status) => [
      status,
      html("The page again with the API's message, or an error page."),
    ]),
  ),
};

const noNext = () => Promise.resolve();

/**
 * The dashboard's definitions. `app` is the whole service, whose API the pages call in
 * process (the composition root passes itself).
 */
export function dashboardEndpoints(app: () => Fetcher): Endpoint[] {
  return DASHBOARD_ROUTES.map((route) => {
    let handler: Handler<AppEnv> | undefined;
    return defineEndpoint({
      method: route.method,
      path: route.path,
      id: route.id,
      operationId: route.operationId,
      summary: `Dashboard: ${route.summary}`,
      tag: "Dashboard",
      access: { scopes: "public" },
      responses: PAGE_RESPONSES,
      handler: async ({ c, deps }) => {
        handler ??= route.handler({ deps, app });
        return await handler(c as Context<AppEnv>, noNext) as Response;
      },
    });
  });
}
