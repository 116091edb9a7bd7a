import { named } from "../../api/endpoint.ts";
import { collectionEndpoints } from "../common/collection.routes.ts";
import { MEASUREMENT_FILTERS, RECORD_FILTERS } from "../common/filters.ts";
import { weightItem, weightSchema } from "./weights.schemas.ts";
import {
  countWeights,
  deleteWeight,
  findWeight,
  findWeightJson,
  listWeights,
  listWeightsJson,
  weightBulk,
  weightView,
} from "./weights.store.ts";

/** `/v1/children/:child_id/weights` (tracking.md §5, TR14, TR16, TR18, TR20). */
export const weightEndpoints = collectionEndpoints({
  owner: "child_id",
  segment: "weights",
  idParam: "weight_id",
  tag: "Weights",
  names: { one: "Weight", many: "Weights", a: "a weight", plural: "weights" },
  ids: { create: "TR14", list: "TR16", get: "TR18", delete: "TR20" },
  scope: "measurements",
  label: "Weight",
  item: weightItem,
  view: named("Weight", weightSchema),
  filters: { ...RECORD_FILTERS, ...MEASUREMENT_FILTERS, body_fat: "the linked body fat" },
  bulk: weightBulk,
  list: listWeights,
  count: countWeights,
  toView: weightView,
  remove: deleteWeight,
  find: findWeight,
  listJson: listWeightsJson,
  findJson: findWeightJson,
});
