import type { FilterFields } from "../../api/queries.ts";

/** Filter fields every tracking record has. */
export const RECORD_FILTERS: FilterFields = {
  id: "the record id",
  created_at: "the registration time (a date, a date-time or `now`/`today` forms)",
};

/** Filter fields of a record with a time span. */
export const SPAN_FILTERS: FilterFields = {
  start_time: "the start (a date or a date-time)",
  end_time: "the end (a date or a date-time)",
  duration: "the duration in milliseconds",
};

/** Filter fields of a measurement. */
export const MEASUREMENT_FILTERS: FilterFields = {
  timestamp: "the time of the measurement (a date or a date-time)",
  value: "the value",
  unit: "the unit",
};
