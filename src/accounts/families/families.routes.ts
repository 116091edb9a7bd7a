import { self } from "../../access/rules.ts";
import { defineEndpoint, empty, json, list, named } from "../../api/endpoint.ts";
import { listQuery } from "../../api/queries.ts";
import { errors } from "../../core/errors.ts";
import { listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { nestedChildSchema } from "../children/children.schemas.ts";
import { nestedChildView } from "../children/children.store.ts";
import { accountErrors } from "../users/users.errors.ts";
import { applyUserListQuery } from "../users/users.list.ts";
import { USER_FILTERS, userResourceEndpoints } from "../users/users.resource.ts";
import { findUser } from "../users/users.store.ts";
import { createFamilyBody, familySchema, updateFamilyBody } from "./families.schemas.ts";
import {
  childrenOfFamilies,
  familyViews,
  insertFamily,
  linkChild,
  unlinkChild,
  updateFamily,
} from "./families.store.ts";

const LABEL = "Family";
const TAG = "Families";
const Family = named("Family", familySchema);

/**
 * `/v1/families` (account.md §9, AC13–AC19): the user routes, the family's children, and
 * associating and dissociating a child.
 */
export const familyEndpoints = [
  ...userResourceEndpoints({
    type: "family",
    label: LABEL,
    path: "/v1/families",
    idParam: "family_id",
    tag: TAG,
    names: { one: "Family", many: "Families", a: "a family", plural: "families" },
    ids: { create: "AC13", list: "AC15", get: "AC16", update: "AC18" },
    scope: "families",
    rules: { get: self, update: self },
    view: Family,
    filters: USER_FILTERS,
    create: { name: "FamilyCreate", schema: createFamilyBody },
    update: {
      name: "FamilyUpdate",
      schema: updateFamilyBody({}),
      build: (params) => updateFamilyBody(params),
    },
    references: (body) => ({
      username: body.username,
      childIds: body.children,
      institutionId: body.institution_id,
    }),
    insert: insertFamily,
    applyChanges: updateFamily,
    views: familyViews,
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/families/:family_id/children",
    id: "AC17",
    operationId: "listFamilyChildren",
    summary: "List a family's children",
    description: "A `username` filter or sort and `limit` (the first N) apply to the " +
      "children; `page` and other keys are ignored. `X-Total-Count` is the family's number " +
      "of children.",
    tag: TAG,
    access: { scopes: ["families:read"], rule: self },
    query: listQuery(listQuerySchema, { username: USER_FILTERS.username }),
    responses: {
      200: list("The family's children.", named("NestedChild", nestedChildSchema)),
      404: "No family has this id.",
    },
    // §9.5: the original applied `page` and other keys to the family record, not the children.
    handler: async ({ c, deps: { db }, params, query }) => {
      const id = params.family_id;
      const family = await findUser(db, id, "family");
      if (!family) {
        c.header("X-Total-Count", "0");
        throw errors.notFound(LABEL);
      }
      const children = (await childrenOfFamilies(db, [id])).get(id) ?? [];
      const shown = applyUserListQuery(
        children,
        {
          ...query,
          page: 1,
          offset: 0,
          filters: query.filters.filter((f) => f.field === "username"),
          sort: query.sort.filter((key) => key.field === "username"),
        },
        {},
        { given: "stored" },
      );
      return listResponse(c, shown.map(nestedChildView), children.length);
    },
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/families/:family_id/children/:child_id",
    id: "AC14",
    operationId: "associateFamilyChild",
    summary: "Associate a child with a family",
    tag: TAG,
    access: { scopes: ["families:create"] },
    responses: {
      200: json("The family with the child among its children.", Family),
      400: "A malformed id, or the family or the child is not registered.",
    },
    handler: async ({ c, deps: { db }, params: { family_id: familyId, child_id: childId } }) => {
      const family = await db.transaction(async (tx) => {
        const family = await findUser(tx, familyId, "family");
        if (!family) throw errors.notFound(LABEL, Status.BAD_REQUEST);
        if (!await findUser(tx, childId, "child")) throw accountErrors.associationWithoutChild();
        await linkChild(tx, familyId, childId);
        return family;
      });
      return c.json((await familyViews(db, [family]))[0], Status.OK);
    },
  }),
  defineEndpoint({
    method: "DELETE",
    path: "/v1/families/:family_id/children/:child_id",
    id: "AC19",
    operationId: "dissociateFamilyChild",
    summary: "Dissociate a child from a family",
    tag: TAG,
    access: { scopes: ["families:delete"] },
    responses: {
      204: empty("The child is no longer associated (or never was)."),
      404: "No family has this id.",
    },
    handler: async ({ c, deps: { db }, params: { family_id: familyId, child_id: childId } }) => {
      if (!await findUser(db, familyId, "family")) throw errors.notFound(LABEL);
      await unlinkChild(db, familyId, childId);
      return noContent(c);
    },
  }),
];
