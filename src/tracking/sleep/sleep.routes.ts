import { named } from "../../api/endpoint.ts";
import { collectionEndpoints } from "../common/collection.routes.ts";
import { RECORD_FILTERS, SPAN_FILTERS } from "../common/filters.ts";
import { sleepItem, sleepSchema } from "./sleep.schemas.ts";
import {
  countSleep,
  deleteSleep,
  findSleep,
  listSleep,
  sleepBulk,
  sleepView,
} from "./sleep.store.ts";

/** `/v1/children/:child_id/sleep` (tracking.md §4, TR9–TR13). */
export const sleepEndpoints = collectionEndpoints({
  owner: "child_id",
  segment: "sleep",
  idParam: "sleep_id",
  tag: "Sleep",
  names: { one: "Sleep", many: "Sleep", a: "a sleep record", plural: "sleep records" },
  ids: { create: "TR9", list: "TR10", get: "TR11", patch: "TR12", delete: "TR13" },
  scope: "sleep",
  label: "Sleep",
  item: sleepItem,
  view: named("Sleep", sleepSchema),
  filters: {
    ...RECORD_FILTERS,
    ...SPAN_FILTERS,
    type: "the kind of record (`classic` or `stages`)",
    "pattern.data_set.name": "a stage's name (any stage matches)",
    "pattern.data_set.duration": "a stage's duration (any stage matches)",
  },
  bulk: sleepBulk,
  list: listSleep,
  count: countSleep,
  toView: sleepView,
  remove: deleteSleep,
  find: findSleep,
});
