import { childProfile, childProfileByNfcTag } from "../../access/rules.ts";
import { defineEndpoint, json, named } from "../../api/endpoint.ts";
import { errors } from "../../core/errors.ts";
import { Status } from "../../core/status.ts";
import { USER_FILTERS, userResourceEndpoints } from "../users/users.resource.ts";
import { childSchema, childSchemas } from "./children.schemas.ts";
import { childView, findChildByNfcTag, insertChild, updateChild } from "./children.store.ts";

const Child = named("Child", childSchema);
/** The bodies as the reference shows them (validation judges dates by the app's clock). */
const documented = childSchemas(Date.now);

/**
 * `/v1/children` (account.md §6, AC4–AC8): register, list, read, update, and find by NFC
 * tag. The Fitbit and NFC fields are never written through these routes. The NFC lookup
 * comes first: its literal `nfc` segment must win over a child id in the same place.
 */
export const childEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/v1/children/nfc/:nfc_tag",
    id: "AC7",
    operationId: "getChildByNfcTag",
    summary: "Find a child by NFC tag",
    tag: "Children",
    access: { scopes: ["children:read"], rule: childProfileByNfcTag },
    responses: { 200: json("The child holding the tag.", Child), 404: "No child holds this tag." },
    handler: async ({ c, deps: { db }, params }) => {
      const row = await findChildByNfcTag(db, params.nfc_tag);
      if (!row) throw errors.notFound("Child");
      return c.json(childView(row), Status.OK);
    },
  }),
  ...userResourceEndpoints({
    type: "child",
    label: "Child",
    path: "/v1/children",
    idParam: "child_id",
    tag: "Children",
    names: { one: "Child", many: "Children", a: "a child", plural: "children" },
    ids: { create: "AC4", list: "AC5", get: "AC6", update: "AC8" },
    scope: "children",
    rules: { get: childProfile },
    view: Child,
    filters: {
      ...USER_FILTERS,
      gender: "the gender",
      age: "the age (birth date or years, as stored)",
      age_calc_date: "the date the age was given on",
      fitbit_status: "the Fitbit connection state",
      nfc_tag: "the NFC tag",
      last_sync: "the last wearable sync (a date, a date-time or epoch milliseconds)",
    },
    create: {
      name: "ChildCreate",
      schema: documented.create,
      build: (_params, deps) => childSchemas(deps.now).create,
    },
    update: {
      name: "ChildUpdate",
      schema: documented.update({}),
      build: (params, deps) => childSchemas(deps.now).update(params),
    },
    references: (body) => ({ username: body.username, institutionId: body.institution_id }),
    insert: insertChild,
    applyChanges: updateChild,
    views: (_db, rows) => Promise.resolve(rows.map(childView)),
  }),
];
