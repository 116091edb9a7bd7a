import { institutionRead, institutionUpdate } from "../../access/rules.ts";
import { defineEndpoint, empty, json, list, named } from "../../api/endpoint.ts";
import { listQuery } from "../../api/queries.ts";
import { ApiError, errors } from "../../core/errors.ts";
import { applyListQuery, listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { writeOrConflict } from "../users/users.store.ts";
import {
  createInstitutionBody,
  institutionSchema,
  updateInstitutionBody,
} from "./institutions.schemas.ts";
import {
  allInstitutions,
  countInstitutions,
  deleteUnreferencedInstitution,
  findInstitution,
  insertInstitution,
  institutionNameTaken,
  institutionView,
  updateInstitution,
} from "./institutions.store.ts";

const TAG = "Institutions";
const Institution = named("Institution", institutionSchema);
const LABEL = "Institution";
const notFound = () => errors.notFound(LABEL);
const conflict = () => errors.alreadyRegistered(LABEL);
const NOT_FOUND = "No institution has this id.";
const NAME_TAKEN = "Another institution has this name.";

/** Fields a list may filter and sort on (their stored names). */
const listFields = {
  type: (row: { type: string }) => row.type,
  name: (row: { name: string }) => row.name,
  address: (row: { address: string | null }) => row.address,
  latitude: (row: { latitude: string | null }) => row.latitude,
  longitude: (row: { longitude: string | null }) => row.longitude,
};

/** `/v1/institutions` (account.md §5, AC38–AC42). */
export const institutionEndpoints = [
  defineEndpoint({
    method: "POST",
    path: "/v1/institutions",
    id: "AC38",
    operationId: "createInstitution",
    summary: "Register an institution",
    tag: TAG,
    access: { scopes: ["institutions:create"] },
    body: { name: "InstitutionCreate", schema: createInstitutionBody },
    responses: { 201: json("The institution registered.", Institution), 409: NAME_TAKEN },
    handler: async ({ c, deps: { db, now }, body }) => {
      // The same 409 whether the check or the unique index catches the name.
      const row = await writeOrConflict(db, LABEL, async (tx) => {
        if (await institutionNameTaken(tx, body.name)) throw conflict();
        return await insertInstitution(tx, body, now());
      });
      return c.json(institutionView(row), Status.CREATED);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/institutions",
    id: "AC39",
    operationId: "listInstitutions",
    summary: "List institutions",
    tag: TAG,
    access: { scopes: ["institutions:readAll"] },
    query: listQuery(listQuerySchema, {
      type: "the kind of institution",
      name: "the name",
      address: "the address",
      latitude: "the latitude (as text)",
      longitude: "the longitude (as text)",
    }),
    responses: { 200: list("A page of institutions.", Institution) },
    handler: async ({ c, deps: { db }, query }) => {
      const [rows, total] = await Promise.all([allInstitutions(db), countInstitutions(db)]);
      const page = applyListQuery(rows, query, listFields);
      return listResponse(c, page.map(institutionView), total);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/institutions/:institution_id",
    id: "AC40",
    operationId: "getInstitution",
    summary: "Get an institution",
    tag: TAG,
    access: { scopes: ["institutions:read"], rule: institutionRead },
    responses: { 200: json("The institution.", Institution), 404: NOT_FOUND },
    handler: async ({ c, deps: { db }, params }) => {
      const row = await findInstitution(db, params.institution_id);
      if (!row) throw notFound();
      return c.json(institutionView(row), Status.OK);
    },
  }),
  defineEndpoint({
    method: "PATCH",
    path: "/v1/institutions/:institution_id",
    id: "AC41",
    operationId: "updateInstitution",
    summary: "Update an institution",
    description: "Only the fields sent change. The name is checked before the id exists.",
    tag: TAG,
    access: { scopes: ["institutions:update"], rule: institutionUpdate },
    body: { name: "InstitutionUpdate", schema: updateInstitutionBody },
    responses: {
      200: json("The institution as updated.", Institution),
      404: NOT_FOUND,
      409: NAME_TAKEN,
    },
    handler: async ({ c, deps: { db }, params, body }) => {
      // The name check comes before existence (account.md §5.4); re-sending the institution's
      // own current name is not a conflict (the original's 409 there was a quirk, §15).
      const id = params.institution_id;
      const row = await writeOrConflict(db, LABEL, async (tx) => {
        if (body.name !== undefined && await institutionNameTaken(tx, body.name, id)) {
          throw conflict();
        }
        return await updateInstitution(tx, id, body);
      });
      if (!row) throw notFound();
      return c.json(institutionView(row), Status.OK);
    },
  }),
  defineEndpoint({
    method: "DELETE",
    path: "/v1/institutions/:institution_id",
    id: "AC42",
    operationId: "deleteInstitution",
    summary: "Delete an institution that no user references",
    description: "Its environment readings go with it.",
    tag: TAG,
    access: { scopes: ["institutions:delete"] },
    responses: {
      204: empty("Deleted, or there was no such institution."),
      400: "A user still belongs to the institution (or the id is malformed).",
    },
    handler: async ({ c, deps: { db }, params }) => {
      const outcome = await deleteUnreferencedInstitution(db, params.institution_id);
      if (outcome === "referenced") {
        throw new ApiError(
          Status.BAD_REQUEST,
          "The institution is associated with one or more users.",
        );
      }
      return noContent(c);
    },
  }),
];
