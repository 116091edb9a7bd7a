import { collectionEndpoints } from "../common/collection.routes.ts";
import { RECORD_FILTERS, SPAN_FILTERS } from "../common/filters.ts";
import { named } from "../../api/endpoint.ts";
import {
  physicalActivityItem,
  physicalActivitySchema,
  ZONES,
} from "./physical-activities.schemas.ts";
import {
  countPhysicalActivities,
  deletePhysicalActivity,
  findPhysicalActivity,
  findPhysicalActivityJson,
  listPhysicalActivities,
  listPhysicalActivitiesJson,
  physicalActivityBulk,
  physicalActivityView,
} from "./physical-activities.store.ts";

const zoneFilters = Object.fromEntries(
  ZONES.flatMap((zone) =>
    (["min", "max", "duration"] as const).map((key) => [
      `heart_rate.${zone}.${key}`,
      `the ${zone.replaceAll("_", " ")}'s ${key}`,
    ])
  ),
);

/** `/v1/children/:child_id/physicalactivities` (tracking.md §3, TR1–TR5). */
export const physicalActivityEndpoints = collectionEndpoints({
  owner: "child_id",
  segment: "physicalactivities",
  idParam: "physicalactivity_id",
  tag: "Physical activities",
  names: {
    one: "PhysicalActivity",
    many: "PhysicalActivities",
    a: "a physical activity",
    plural: "physical activities",
  },
  ids: { create: "TR1", list: "TR2", get: "TR3", patch: "TR4", delete: "TR5" },
  scope: "physicalactivities",
  label: "Physical Activity",
  item: physicalActivityItem,
  view: named("PhysicalActivity", physicalActivitySchema),
  filters: {
    ...RECORD_FILTERS,
    ...SPAN_FILTERS,
    name: "the activity's name",
    calories: "the calories",
    steps: "the steps",
    distance: "the distance in metres",
    "levels.name": "a level's name (any level matches)",
    "levels.duration": "a level's duration (any level matches)",
    "heart_rate.average": "the average heart rate",
    ...zoneFilters,
  },
  bulk: physicalActivityBulk,
  list: listPhysicalActivities,
  count: countPhysicalActivities,
  toView: physicalActivityView,
  remove: deletePhysicalActivity,
  find: findPhysicalActivity,
  listJson: listPhysicalActivitiesJson,
  findJson: findPhysicalActivityJson,
});
