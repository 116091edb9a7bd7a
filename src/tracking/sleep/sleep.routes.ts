import type { Deps } from "../../core/context.ts";
import { collectionRoutes } from "../common/collection.routes.ts";
import { sleepItem } from "./sleep.schemas.ts";
import {
  countSleep,
  deleteSleep,
  findSleep,
  listSleep,
  sleepBulk,
  sleepView,
} from "./sleep.store.ts";

/**
 * `/v1/children/:child_id/sleep` (tracking.md §4), mounted under `/v1/children`.
 * Access rules: see access/permissions.ts (TR9–TR13).
 */
export function sleepRoutes(deps: Deps) {
  return collectionRoutes(deps, {
    owner: "child_id",
    segment: "sleep",
    idParam: "sleep_id",
    item: sleepItem,
    bulk: sleepBulk,
    list: listSleep,
    count: countSleep,
    view: sleepView,
    remove: deleteSleep,
    find: { one: findSleep, name: "Sleep" },
    discontinuedPatch: true,
  });
}
