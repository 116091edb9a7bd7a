import type { Deps } from "../../core/context.ts";
import { collectionRoutes } from "../common/collection.routes.ts";
import { bodyFatItem } from "./bodyfats.schemas.ts";
import {
  bodyFatBulk,
  bodyFatView,
  countBodyFats,
  deleteBodyFat,
  findBodyFat,
  listBodyFats,
} from "./bodyfats.store.ts";

/**
 * `/v1/children/:child_id/bodyfats` (tracking.md §6), mounted under `/v1/children`.
 * Access rules: see access/permissions.ts (TR15, TR17, TR19, TR21).
 */
export function bodyFatRoutes(deps: Deps) {
  return collectionRoutes(deps, {
    owner: "child_id",
    segment: "bodyfats",
    idParam: "bodyfat_id",
    item: bodyFatItem,
    bulk: bodyFatBulk,
    list: listBodyFats,
    count: countBodyFats,
    view: bodyFatView,
    remove: deleteBodyFat,
    find: { one: findBodyFat, name: "Body Fat" },
  });
}
