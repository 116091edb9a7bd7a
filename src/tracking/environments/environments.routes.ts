import type { Deps } from "../../core/context.ts";
import { noContent, pathParam } from "../../core/responses.ts";
import { collectionRoutes } from "../common/collection.routes.ts";
import { environmentItem } from "./environments.schemas.ts";
import {
  countEnvironments,
  deleteEnvironment,
  deleteInstitutionEnvironments,
  environmentBulk,
  environmentView,
  listEnvironments,
} from "./environments.store.ts";

/**
 * `/v1/institutions/:institution_id/environments` (tracking.md §8), mounted under
 * `/v1/institutions`. Access rules: see access/permissions.ts (EN1–EN4).
 */
export function environmentRoutes(deps: Deps) {
  return collectionRoutes(deps, {
    owner: "institution_id",
    segment: "environments",
    idParam: "environment_id",
    item: environmentItem,
    bulk: environmentBulk,
    list: listEnvironments,
    count: countEnvironments,
    view: environmentView,
    remove: deleteEnvironment,
  }).delete("/:institution_id/environments", async (c) => {
    // Every reading of the institution: the query string does not narrow it (§8.4).
    await deleteInstitutionEnvironments(deps.db, pathParam(c, "institution_id"));
    return noContent(c);
  });
}
