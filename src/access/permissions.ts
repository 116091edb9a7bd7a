import { HEX_ID } from "../core/ids.ts";
import {
  genericIdParam,
  lenientIdParam,
  LOG_RESOURCES,
  type ParamRule,
  textParam,
} from "./params.ts";
import {
  childDataCreate,
  childDataDelete,
  childDataRead,
  childProfile,
  childProfileByNfcTag,
  fitbitChild,
  groupOwner,
  institutionMustExist,
  institutionRead,
  institutionUpdate,
  notSelf,
  onlyWhen,
  ownPassword,
  type Rule,
  self,
} from "./rules.ts";

/** Who may call a route: the token scopes (any one of them) and the ownership rule after them. */
export interface Permission {
  /** The contract's route id (gateway.md §1), e.g. `AC40`. */
  id: string;
  /** One line for the API reference. */
  summary: string;
  /** OpenAPI tag grouping the route. */
  tag: string;
  /** `public`: no token. Otherwise the route passes when the token holds any one of these. */
  scopes: readonly string[] | "public";
  /** The ownership or existence rule (gateway.md §3.2), run once the path parameters are valid. */
  rule?: Rule;
  /** Path parameter rules differing from `defaultParamRules`. */
  params?: Record<string, ParamRule>;
  /** Not an API operation (a dashboard page): kept out of the OpenAPI document. */
  internal?: true;
}

const publicRoute = (id: string, summary: string, tag = "Platform"): Permission => ({
  id,
  summary,
  tag,
  scopes: "public",
});

/**
 * A web dashboard route (src/dashboard/): public to the guard, because the page checks
 * its session itself and reads and changes data only through the API's own routes.
 */
const dashboardRoute = (id: string, summary: string): Permission => ({
  ...publicRoute(id, summary, "Dashboard"),
  internal: true,
});

const fitbitParams = { user_id: genericIdParam() };

// The log-creation route reports a malformed child id or resource per item (207), so its
// rule runs only on well-formed paths, as the original gateway's did (gateway.md §3.3).
// An upper-case child id is lowercased so that the rule and the handler find the child.
const logPostParams = {
  child_id: lenientIdParam("24-hex child id"),
  resource: textParam(`one of ${LOG_RESOURCES.join(", ")}`),
};
const wellFormedLogPath = (p: Record<string, string>) =>
  HEX_ID.test(p.child_id) && (LOG_RESOURCES as readonly string[]).includes(p.resource);

/**
 * THE permission table: every route the service answers, keyed by method and path,
 * with its scopes and ownership rule (gateway.md §1 and §3). The access guard reads it
 * on every request; a route missing from it is refused. A reader looking for "who may
 * call X" needs only this table and the rules it names.
 */
export const permissions: Record<string, Permission> = {
  // Platform (no token).
  "GET /": publicRoute("G1", "Redirects to the API reference"),
  "GET /v1": publicRoute("G0", "Says the service is up, with its version"),
  "GET /health": publicRoute("HC", "Reports whether the database is reachable"),
  "GET /v1/reference": publicRoute("G2", "Interactive API reference"),
  "GET /v1/openapi.json": publicRoute("G2b", "OpenAPI 3.1 document of this API"),
  "GET /v1/reference/assets/:tag/:file": publicRoute(
    "G2c",
    "A file of the API reference page (versioned URL, cached for a year)",
  ),
  "POST /v1/auth": publicRoute(
    "AU1",
    "Log in: exchange a username and password for a token",
    "Auth",
  ),

  // Users.
  "DELETE /v1/users/:user_id": {
    id: "AC1",
    summary: "Delete a user (never oneself) and everything held about it",
    tag: "Users",
    scopes: ["users:delete"],
    rule: notSelf,
  },
  "PUT /v1/users/:user_id/password": {
    id: "AC2",
    summary: "Change one's own password",
    tag: "Users",
    scopes: [
      "applications:update",
      "children:update",
      "educators:update",
      "families:update",
      "healthprofessionals:update",
    ],
    rule: ownPassword,
  },
  "POST /v1/users/:user_id/reset-password": {
    id: "AC3",
    summary: "Reset any user's password",
    tag: "Users",
    scopes: ["users:resetPassword"],
  },

  // Children.
  "POST /v1/children": {
    id: "AC4",
    summary: "Register a child",
    tag: "Children",
    scopes: ["children:create"],
  },
  "GET /v1/children": {
    id: "AC5",
    summary: "List children",
    tag: "Children",
    scopes: ["children:readAll"],
  },
  "GET /v1/children/:child_id": {
    id: "AC6",
    summary: "Get a child's profile",
    tag: "Children",
    scopes: ["children:read"],
    rule: childProfile,
  },
  "GET /v1/children/nfc/:nfc_tag": {
    id: "AC7",
    summary: "Find a child by NFC tag",
    tag: "Children",
    scopes: ["children:read"],
    rule: childProfileByNfcTag,
  },
  "PATCH /v1/children/:child_id": {
    id: "AC8",
    summary: "Update a child",
    tag: "Children",
    scopes: ["children:update"],
  },

  // Educators.
  "POST /v1/educators": {
    id: "AC9",
    summary: "Register an educator",
    tag: "Educators",
    scopes: ["educators:create"],
  },
  "GET /v1/educators": {
    id: "AC10",
    summary: "List educators",
    tag: "Educators",
    scopes: ["educators:readAll"],
  },
  "GET /v1/educators/:educator_id": {
    id: "AC11",
    summary: "Get an educator",
    tag: "Educators",
    scopes: ["educators:read"],
    rule: self,
  },
  "PATCH /v1/educators/:educator_id": {
    id: "AC12",
    summary: "Update an educator",
    tag: "Educators",
    scopes: ["educators:update"],
    rule: self,
  },

  // Families.
  "POST /v1/families": {
    id: "AC13",
    summary: "Register a family",
    tag: "Families",
    scopes: ["families:create"],
  },
  "POST /v1/families/:family_id/children/:child_id": {
    id: "AC14",
    summary: "Associate a child with a family",
    tag: "Families",
    scopes: ["families:create"],
  },
  "GET /v1/families": {
    id: "AC15",
    summary: "List families",
    tag: "Families",
    scopes: ["families:readAll"],
  },
  "GET /v1/families/:family_id": {
    id: "AC16",
    summary: "Get a family",
    tag: "Families",
    scopes: ["families:read"],
    rule: self,
  },
  "GET /v1/families/:family_id/children": {
    id: "AC17",
    summary: "List a family's children",
    tag: "Families",
    scopes: ["families:read"],
    rule: self,
  },
  "PATCH /v1/families/:family_id": {
    id: "AC18",
    summary: "Update a family",
    tag: "Families",
    scopes: ["families:update"],
    rule: self,
  },
  "DELETE /v1/families/:family_id/children/:child_id": {
    id: "AC19",
    summary: "Dissociate a child from a family",
    tag: "Families",
    scopes: ["families:delete"],
  },

  // Health professionals.
  "POST /v1/healthprofessionals": {
    id: "AC20",
    summary: "Register a health professional",
    tag: "Health professionals",
    scopes: ["healthprofessionals:create"],
  },
  "GET /v1/healthprofessionals": {
    id: "AC21",
    summary: "List health professionals",
    tag: "Health professionals",
    scopes: ["healthprofessionals:readAll"],
  },
  "GET /v1/healthprofessionals/:healthprofessional_id": {
    id: "AC22",
    summary: "Get a health professional",
    tag: "Health professionals",
    scopes: ["healthprofessionals:read"],
    rule: self,
  },
  "PATCH /v1/healthprofessionals/:healthprofessional_id": {
    id: "AC23",
    summary: "Update a health professional",
    tag: "Health professionals",
    scopes: ["healthprofessionals:update"],
    rule: self,
  },

  // Children groups.
  "POST /v1/educators/:educator_id/children/groups": {
    id: "AC24",
    summary: "Create one of the educator's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:create"],
    rule: groupOwner("educator"),
  },
  "POST /v1/healthprofessionals/:healthprofessional_id/children/groups": {
    id: "AC25",
    summary: "Create one of the health professional's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:create"],
    rule: groupOwner("healthprofessional"),
  },
  "GET /v1/educators/:educator_id/children/groups": {
    id: "AC26",
    summary: "List the educator's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:read"],
    rule: groupOwner("educator"),
  },
  "GET /v1/educators/:educator_id/children/groups/:group_id": {
    id: "AC27",
    summary: "Get one of the educator's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:read"],
    rule: groupOwner("educator"),
  },
  "GET /v1/healthprofessionals/:healthprofessional_id/children/groups": {
    id: "AC28",
    summary: "List the health professional's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:read"],
    rule: groupOwner("healthprofessional"),
  },
  "GET /v1/healthprofessionals/:healthprofessional_id/children/groups/:group_id": {
    id: "AC29",
    summary: "Get one of the health professional's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:read"],
    rule: groupOwner("healthprofessional"),
  },
  "PATCH /v1/educators/:educator_id/children/groups/:group_id": {
    id: "AC30",
    summary: "Update one of the educator's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:update"],
    rule: groupOwner("educator"),
  },
  "PATCH /v1/healthprofessionals/:healthprofessional_id/children/groups/:group_id": {
    id: "AC31",
    summary: "Update one of the health professional's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:update"],
    rule: groupOwner("healthprofessional"),
  },
  "DELETE /v1/educators/:educator_id/children/groups/:group_id": {
    id: "AC32",
    summary: "Delete one of the educator's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:delete"],
    rule: groupOwner("educator"),
  },
  "DELETE /v1/healthprofessionals/:healthprofessional_id/children/groups/:group_id": {
    id: "AC33",
    summary: "Delete one of the health professional's children groups",
    tag: "Children groups",
    scopes: ["childrengroups:delete"],
    rule: groupOwner("healthprofessional"),
  },

  // Applications.
  "POST /v1/applications": {
    id: "AC34",
    summary: "Register an application",
    tag: "Applications",
    scopes: ["applications:create"],
  },
  "GET /v1/applications": {
    id: "AC35",
    summary: "List applications",
    tag: "Applications",
    scopes: ["applications:readAll"],
  },
  "GET /v1/applications/:application_id": {
    id: "AC36",
    summary: "Get an application",
    tag: "Applications",
    scopes: ["applications:read"],
    rule: self,
  },
  "PATCH /v1/applications/:application_id": {
    id: "AC37",
    summary: "Update an application",
    tag: "Applications",
    scopes: ["applications:update"],
  },

  // Institutions.
  "POST /v1/institutions": {
    id: "AC38",
    summary: "Register an institution",
    tag: "Institutions",
    scopes: ["institutions:create"],
  },
  "GET /v1/institutions": {
    id: "AC39",
    summary: "List institutions",
    tag: "Institutions",
    scopes: ["institutions:readAll"],
  },
  "GET /v1/institutions/:institution_id": {
    id: "AC40",
    summary: "Get an institution",
    tag: "Institutions",
    scopes: ["institutions:read"],
    rule: institutionRead,
  },
  "PATCH /v1/institutions/:institution_id": {
    id: "AC41",
    summary: "Update an institution",
    tag: "Institutions",
    scopes: ["institutions:update"],
    rule: institutionUpdate,
  },
  "DELETE /v1/institutions/:institution_id": {
    id: "AC42",
    summary: "Delete an institution that no user references",
    tag: "Institutions",
    scopes: ["institutions:delete"],
  },

  // Physical activities.
  "POST /v1/children/:child_id/physicalactivities": {
    id: "TR1",
    summary: "Record one or many physical activities",
    tag: "Physical activities",
    scopes: ["physicalactivities:create"],
    rule: childDataCreate,
  },
  "GET /v1/children/:child_id/physicalactivities": {
    id: "TR2",
    summary: "List a child's physical activities",
    tag: "Physical activities",
    scopes: ["physicalactivities:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/physicalactivities/:physicalactivity_id": {
    id: "TR3",
    summary: "Get a physical activity",
    tag: "Physical activities",
    scopes: ["physicalactivities:read"],
    rule: childDataRead,
  },
  "PATCH /v1/children/:child_id/physicalactivities/:physicalactivity_id": {
    id: "TR4",
    summary: "Discontinued: always 405",
    tag: "Physical activities",
    scopes: ["physicalactivities:update"],
    params: { child_id: textParam("child id"), physicalactivity_id: textParam("id") },
  },
  "DELETE /v1/children/:child_id/physicalactivities/:physicalactivity_id": {
    id: "TR5",
    summary: "Delete a physical activity",
    tag: "Physical activities",
    scopes: ["physicalactivities:delete"],
    rule: childDataDelete,
  },

  // Daily logs.
  "GET /v1/children/:child_id/logs/date/:date_start/:date_end": {
    id: "TR6",
    summary: "All daily logs of a child in a date range",
    tag: "Daily logs",
    scopes: ["physicalactivities:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/logs/:resource/date/:date_start/:date_end": {
    id: "TR7",
    summary: "One kind of daily log of a child in a date range",
    tag: "Daily logs",
    scopes: ["physicalactivities:read"],
    rule: childDataRead,
  },
  "POST /v1/children/:child_id/logs/:resource": {
    id: "TR8",
    summary: "Record daily logs (always 207)",
    tag: "Daily logs",
    scopes: ["physicalactivities:create"],
    params: logPostParams,
    rule: onlyWhen(wellFormedLogPath, childDataCreate),
  },

  // Sleep.
  "POST /v1/children/:child_id/sleep": {
    id: "TR9",
    summary: "Record one or many sleep records",
    tag: "Sleep",
    scopes: ["sleep:create"],
    rule: childDataCreate,
  },
  "GET /v1/children/:child_id/sleep": {
    id: "TR10",
    summary: "List a child's sleep records",
    tag: "Sleep",
    scopes: ["sleep:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/sleep/:sleep_id": {
    id: "TR11",
    summary: "Get a sleep record",
    tag: "Sleep",
    scopes: ["sleep:read"],
    rule: childDataRead,
  },
  "PATCH /v1/children/:child_id/sleep/:sleep_id": {
    id: "TR12",
    summary: "Discontinued: always 405",
    tag: "Sleep",
    scopes: ["sleep:update"],
    params: { child_id: textParam("child id"), sleep_id: textParam("id") },
  },
  "DELETE /v1/children/:child_id/sleep/:sleep_id": {
    id: "TR13",
    summary: "Delete a sleep record",
    tag: "Sleep",
    scopes: ["sleep:delete"],
    rule: childDataDelete,
  },

  // Weights and body fats.
  "POST /v1/children/:child_id/weights": {
    id: "TR14",
    summary: "Record one or many weights",
    tag: "Weights",
    scopes: ["measurements:create"],
    rule: childDataCreate,
  },
  "POST /v1/children/:child_id/bodyfats": {
    id: "TR15",
    summary: "Record one or many body fats",
    tag: "Body fats",
    scopes: ["measurements:create"],
    rule: childDataCreate,
  },
  "GET /v1/children/:child_id/weights": {
    id: "TR16",
    summary: "List a child's weights",
    tag: "Weights",
    scopes: ["measurements:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/bodyfats": {
    id: "TR17",
    summary: "List a child's body fats",
    tag: "Body fats",
    scopes: ["measurements:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/weights/:weight_id": {
    id: "TR18",
    summary: "Get a weight",
    tag: "Weights",
    scopes: ["measurements:read"],
    rule: childDataRead,
  },
  "GET /v1/children/:child_id/bodyfats/:bodyfat_id": {
    id: "TR19",
    summary: "Get a body fat",
    tag: "Body fats",
    scopes: ["measurements:read"],
    rule: childDataRead,
  },
  "DELETE /v1/children/:child_id/weights/:weight_id": {
    id: "TR20",
    summary: "Delete a weight",
    tag: "Weights",
    scopes: ["measurements:delete"],
    rule: childDataDelete,
  },
  "DELETE /v1/children/:child_id/bodyfats/:bodyfat_id": {
    id: "TR21",
    summary: "Delete a body fat",
    tag: "Body fats",
    scopes: ["measurements:delete"],
    rule: childDataDelete,
  },

  // Institution environments.
  "POST /v1/institutions/:institution_id/environments": {
    id: "EN1",
    summary: "Record one or many environment readings",
    tag: "Environments",
    scopes: ["environment:create"],
    rule: institutionMustExist,
  },
  "GET /v1/institutions/:institution_id/environments": {
    id: "EN2",
    summary: "List an institution's environment readings",
    tag: "Environments",
    scopes: ["environment:read"],
    rule: institutionMustExist,
  },
  "DELETE /v1/institutions/:institution_id/environments": {
    id: "EN3",
    summary: "Delete all of an institution's environment readings",
    tag: "Environments",
    scopes: ["environment:delete"],
    rule: institutionMustExist,
  },
  "DELETE /v1/institutions/:institution_id/environments/:environment_id": {
    id: "EN4",
    summary: "Delete one environment reading",
    tag: "Environments",
    scopes: ["environment:delete"],
    rule: institutionMustExist,
  },

  // Fitbit.
  "GET /v1/fitbit": {
    id: "FB1",
    summary: "Fitbit client id and what a client needs to start authorization",
    tag: "Fitbit",
    scopes: ["external:sync"],
  },
  "POST /v1/users/:user_id/fitbit/auth": {
    id: "FB2",
    summary: "Store a child's Fitbit tokens after checking them with Fitbit",
    tag: "Fitbit",
    scopes: ["external:sync"],
    rule: fitbitChild,
    params: fitbitParams,
  },
  "GET /v1/users/:user_id/fitbit/auth": {
    id: "FB3",
    summary: "Read a child's Fitbit authorization data",
    tag: "Fitbit",
    scopes: ["external:sync"],
    rule: fitbitChild,
    params: fitbitParams,
  },
  "POST /v1/users/:user_id/fitbit/auth/revoke": {
    id: "FB4",
    summary: "Revoke and forget a child's Fitbit tokens",
    tag: "Fitbit",
    scopes: ["external:sync"],
    rule: fitbitChild,
    params: fitbitParams,
  },
  "POST /v1/users/:user_id/fitbit/sync": {
    id: "FB5",
    summary: "Synchronise a child's Fitbit data now",
    tag: "Fitbit",
    scopes: ["external:sync"],
    rule: fitbitChild,
    params: fitbitParams,
  },
  // Platform-managed authorization (beyond the original): start with R-FITBIT, then
  // Fitbit redirects the browser to the public callback, which checks the state.
  "POST /v1/users/:user_id/fitbit/authorize": {
    id: "FB6",
    summary: "Start connecting a child's Fitbit account: returns the Fitbit consent URL",
    tag: "Fitbit",
    scopes: ["external:sync"],
    rule: fitbitChild,
    params: fitbitParams,
  },
  "GET /v1/fitbit/callback": publicRoute(
    "FB7",
    "Fitbit's redirect after consent: stores the child's tokens, shows a result page",
    "Fitbit",
  ),

  // The web dashboard (src/dashboard/dashboard.routes.ts lists the same routes).
  "GET /app": dashboardRoute("DB1", "Dashboard: the signed-in user's start page"),
  "GET /app/sign-in": dashboardRoute("DB2", "Dashboard: sign-in form"),
  "POST /app/sign-in": dashboardRoute("DB3", "Dashboard: sign in through POST /v1/auth"),
  "POST /app/sign-out": dashboardRoute("DB4", "Dashboard: sign out"),
  "GET /app/assets/:tag/:file": dashboardRoute("DB5", "Dashboard: stylesheet and icon"),
  "GET /app/institutions": dashboardRoute("DB6", "Dashboard: institutions"),
  "GET /app/institutions/new": dashboardRoute("DB7", "Dashboard: new institution form"),
  "POST /app/institutions": dashboardRoute("DB8", "Dashboard: create an institution"),
  "GET /app/institutions/:institution/edit": dashboardRoute("DB9", "Dashboard: edit form"),
  "POST /app/institutions/:institution": dashboardRoute("DB10", "Dashboard: update"),
  "GET /app/users/:kind": dashboardRoute("DB11", "Dashboard: users of one type"),
  "GET /app/users/:kind/new": dashboardRoute("DB12", "Dashboard: new user form"),
  "POST /app/users/:kind": dashboardRoute("DB13", "Dashboard: create a user"),
  "GET /app/users/:kind/:user/edit": dashboardRoute("DB14", "Dashboard: edit user form"),
  "POST /app/users/:kind/:user": dashboardRoute("DB15", "Dashboard: update a user"),
  "GET /app/groups": dashboardRoute("DB16", "Dashboard: the user's children groups"),
  "GET /app/groups/new": dashboardRoute("DB17", "Dashboard: new group form"),
  "POST /app/groups": dashboardRoute("DB18", "Dashboard: create a group"),
  "GET /app/groups/:group/edit": dashboardRoute("DB19", "Dashboard: edit group form"),
  "POST /app/groups/:group": dashboardRoute("DB20", "Dashboard: update a group"),
  "GET /app/children": dashboardRoute("DB21", "Dashboard: a family's children"),
  "GET /app/children/:child": dashboardRoute("DB22", "Dashboard: a child's page"),
  "POST /app/children/:child/wearable/connect": dashboardRoute("DB23", "Dashboard: connect"),
  "POST /app/children/:child/wearable/sync": dashboardRoute("DB24", "Dashboard: sync now"),
  "POST /app/children/:child/wearable/revoke": dashboardRoute("DB25", "Dashboard: disconnect"),
};

/** The permission row of a route, by method and registered path. */
export function permissionFor(method: string, path: string): Permission | undefined {
  return permissions[`${method} ${path}`];
}
