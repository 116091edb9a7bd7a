import type { Deps } from "../../core/context.ts";
import { collectionRoutes } from "../common/collection.routes.ts";
import { physicalActivityItem } from "./physical-activities.schemas.ts";
import {
  countPhysicalActivities,
  deletePhysicalActivity,
  findPhysicalActivity,
  listPhysicalActivities,
  physicalActivityBulk,
  physicalActivityView,
} from "./physical-activities.store.ts";

/**
 * `/v1/children/:child_id/physicalactivities` (tracking.md §3), mounted under
 * `/v1/children`. Access rules: see access/permissions.ts (TR1–TR5).
 */
export function physicalActivityRoutes(deps: Deps) {
  return collectionRoutes(deps, {
    owner: "child_id",
    segment: "physicalactivities",
    idParam: "physicalactivity_id",
    item: physicalActivityItem,
    bulk: physicalActivityBulk,
    list: listPhysicalActivities,
    count: countPhysicalActivities,
    view: physicalActivityView,
    remove: deletePhysicalActivity,
    find: { one: findPhysicalActivity, name: "Physical Activity" },
    discontinuedPatch: true,
  });
}
