import { named } from "../../api/endpoint.ts";
import { collectionEndpoints } from "../common/collection.routes.ts";
import { MEASUREMENT_FILTERS, RECORD_FILTERS } from "../common/filters.ts";
import { bodyFatItem, bodyFatSchema } from "./bodyfats.schemas.ts";
import {
  bodyFatBulk,
  bodyFatView,
  countBodyFats,
  deleteBodyFat,
  findBodyFat,
  findBodyFatJson,
  listBodyFats,
  listBodyFatsJson,
} from "./bodyfats.store.ts";

/** `/v1/children/:child_id/bodyfats` (tracking.md §6, TR15, TR17, TR19, TR21). */
export const bodyFatEndpoints = collectionEndpoints({
  owner: "child_id",
  segment: "bodyfats",
  idParam: "bodyfat_id",
  tag: "Body fats",
  names: { one: "BodyFat", many: "BodyFats", a: "a body fat", plural: "body fats" },
  ids: { create: "TR15", list: "TR17", get: "TR19", delete: "TR21" },
  scope: "measurements",
  label: "Body Fat",
  item: bodyFatItem,
  view: named("BodyFat", bodyFatSchema),
  filters: { ...RECORD_FILTERS, ...MEASUREMENT_FILTERS },
  bulk: bodyFatBulk,
  list: listBodyFats,
  count: countBodyFats,
  toView: bodyFatView,
  remove: deleteBodyFat,
  find: findBodyFat,
  listJson: listBodyFatsJson,
  findJson: findBodyFatJson,
});
