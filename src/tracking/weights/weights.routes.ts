import type { Deps } from "../../core/context.ts";
import { collectionRoutes } from "../common/collection.routes.ts";
import { weightItem } from "./weights.schemas.ts";
import {
  countWeights,
  deleteWeight,
  findWeight,
  listWeights,
  weightBulk,
  weightView,
} from "./weights.store.ts";

/**
 * `/v1/children/:child_id/weights` (tracking.md §5), mounted under `/v1/children`.
 * Access rules: see access/permissions.ts (TR14, TR16, TR18, TR20).
 */
export function weightRoutes(deps: Deps) {
  return collectionRoutes(deps, {
    owner: "child_id",
    segment: "weights",
    idParam: "weight_id",
    item: weightItem,
    bulk: weightBulk,
    list: listWeights,
    count: countWeights,
    view: weightView,
    remove: deleteWeight,
    find: { one: findWeight, name: "Weight" },
  });
}
