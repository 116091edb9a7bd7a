import { institutionMustExist } from "../../access/rules.ts";
import { defineEndpoint, empty, named } from "../../api/endpoint.ts";
import { noContent } from "../../core/responses.ts";
import { collectionEndpoints } from "../common/collection.routes.ts";
import { RECORD_FILTERS } from "../common/filters.ts";
import { environmentItem, environmentSchema } from "./environments.schemas.ts";
import {
  countEnvironments,
  deleteEnvironment,
  deleteInstitutionEnvironments,
  environmentBulk,
  environmentView,
  listEnvironments,
  listEnvironmentsJson,
} from "./environments.store.ts";

const TAG = "Environments";

/** `/v1/institutions/:institution_id/environments` (tracking.md §8, EN1–EN4). */
export const environmentEndpoints = [
  ...collectionEndpoints({
    owner: "institution_id",
    segment: "environments",
    idParam: "environment_id",
    tag: TAG,
    names: {
      one: "Environment",
      many: "Environments",
      a: "an environment reading",
      plural: "environment readings",
    },
    ids: { create: "EN1", list: "EN2", delete: "EN4" },
    scope: "environment",
    label: "Environment",
    item: environmentItem,
    view: named("Environment", environmentSchema),
    filters: {
      ...RECORD_FILTERS,
      timestamp: "the time of the reading (a date or a date-time)",
      climatized: "whether the room is climatized (`true` or `false`)",
      "location.local": "the place",
      "location.room": "the room",
      "location.latitude": "the latitude (as text)",
      "location.longitude": "the longitude (as text)",
      "measurements.type": "a measurement's type (any measurement matches)",
      "measurements.value": "a measurement's value (any measurement matches)",
      "measurements.unit": "a measurement's unit (any measurement matches)",
    },
    bulk: environmentBulk,
    list: listEnvironments,
    count: countEnvironments,
    toView: environmentView,
    remove: deleteEnvironment,
    listJson: listEnvironmentsJson,
  }),
  defineEndpoint({
    method: "DELETE",
    path: "/v1/institutions/:institution_id/environments",
    id: "EN3",
    operationId: "deleteInstitutionEnvironments",
    summary: "Delete all of an institution's environment readings",
    description: "Every reading of the institution: the query string does not narrow it.",
    tag: TAG,
    access: { scopes: ["environment:delete"], rule: institutionMustExist },
    responses: {
      204: empty("All of its readings are deleted."),
      400: "A malformed id, or no institution has this id.",
    },
    handler: async ({ c, deps: { db }, params }) => {
      await deleteInstitutionEnvironments(db, params.institution_id);
      return noContent(c);
    },
  }),
];
