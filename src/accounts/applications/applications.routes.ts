import { self } from "../../access/rules.ts";
import { named } from "../../api/endpoint.ts";
import { USER_FILTERS, userResourceEndpoints } from "../users/users.resource.ts";
import {
  applicationSchema,
  createApplicationBody,
  updateApplicationBody,
} from "./applications.schemas.ts";
import { applicationView, insertApplication, updateApplication } from "./applications.store.ts";

/** `/v1/applications` (account.md §10, AC34–AC37). */
export const applicationEndpoints = userResourceEndpoints({
  type: "application",
  label: "Application",
  path: "/v1/applications",
  idParam: "application_id",
  tag: "Applications",
  names: { one: "Application", many: "Applications", a: "an application", plural: "applications" },
  ids: { create: "AC34", list: "AC35", get: "AC36", update: "AC37" },
  scope: "applications",
  rules: { get: self },
  view: named("Application", applicationSchema),
  filters: { ...USER_FILTERS, application_name: "the application's name" },
  create: { name: "ApplicationCreate", schema: createApplicationBody },
  update: {
    name: "ApplicationUpdate",
    schema: updateApplicationBody({}),
    build: (params) => updateApplicationBody(params),
  },
  references: (body) => ({ username: body.username, institutionId: body.institution_id }),
  insert: insertApplication,
  applyChanges: updateApplication,
  views: (_db, rows) => Promise.resolve(rows.map(applicationView)),
});
