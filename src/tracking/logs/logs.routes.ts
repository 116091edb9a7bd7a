import { z } from "zod";
import { lenientIdParam, LOG_RESOURCES, type LogResource, textParam } from "../../access/params.ts";
import { childDataCreate, childDataRead, onlyWhen } from "../../access/rules.ts";
import { defineEndpoint, json, named } from "../../api/endpoint.ts";
import { HEX_ID } from "../../core/ids.ts";
import { Status } from "../../core/status.ts";
import { multiStatus, storeItems } from "../bulk.ts";
import { multiStatusSchema } from "../common/views.ts";
import { daysOfRange } from "./logs.range.ts";
import { allLogsSchema, logEntrySchema, logsBody } from "./logs.schemas.ts";
import { logBulk, type LogEntry, logsBetween } from "./logs.store.ts";

const TAG = "Daily logs";
const RANGE_ERROR = "A malformed id or date, no child has this id, or the range is invalid " +
  "(the end before the start, or longer than a year).";

/** One entry per day of the range, 0 where nothing is stored (tracking.md §7.2). */
function zeroFilled(days: string[], stored: Map<string, number> | undefined): LogEntry[] {
  return days.map((date) => ({ date, value: stored?.get(date) ?? 0 }));
}

// The log-creation route reports a malformed child id or resource per item (207), so its
// rule runs only on well-formed paths, as the original gateway's did (gateway.md §3.3).
// An upper-case child id is lowercased so that the rule and the handler find the child.
const wellFormedLogPath = (p: Record<string, string>) =>
  HEX_ID.test(p.child_id) && (LOG_RESOURCES as readonly string[]).includes(p.resource);

/** `/v1/children/:child_id/logs/...` (tracking.md §7, TR6–TR8). */
export const logEndpoints = [
  defineEndpoint({
    method: "POST",
    path: "/v1/children/:child_id/logs/:resource",
    id: "TR8",
    operationId: "recordDailyLogs",
    summary: "Record daily logs (always 207)",
    description: "An array of `{date, value}`; each day's value replaces the stored one. A " +
      "malformed child id or resource is reported per item, in the 207.",
    tag: TAG,
    access: {
      scopes: ["physicalactivities:create"],
      params: {
        child_id: lenientIdParam("24-hex child id"),
        resource: textParam(`one of ${LOG_RESOURCES.join(", ")}`),
      },
      rule: onlyWhen(wellFormedLogPath, childDataCreate),
    },
    body: { name: "DailyLogsCreate", schema: logsBody },
    responses: {
      207: json(
        "What happened to each item.",
        named("DailyLogMultiStatus", multiStatusSchema(logEntrySchema)),
      ),
      400: "No child has this id, or the body is not a JSON array or object.",
    },
    handler: async ({ c, deps: { db, now, log }, params, body }) => {
      const resource = logBulk(params.child_id, params.resource, now());
      const outcomes = await storeItems(db, resource, body, log);
      return c.json(multiStatus(outcomes), Status.MULTI_STATUS);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/children/:child_id/logs/date/:date_start/:date_end",
    id: "TR6",
    operationId: "listAllDailyLogs",
    summary: "All daily logs of a child in a date range",
    tag: TAG,
    access: { scopes: ["physicalactivities:read"], rule: childDataRead },
    responses: {
      200: json("Each kind of log, one entry per day.", named("DailyLogs", allLogsSchema)),
      400: RANGE_ERROR,
    },
    handler: async ({ c, deps: { db }, params }) => {
      const { date_start: start, date_end: end } = params;
      const days = daysOfRange(start, end);
      const stored = await logsBetween(db, params.child_id, LOG_RESOURCES, start, end);
      return c.json(
        Object.fromEntries(LOG_RESOURCES.map((r) => [r, zeroFilled(days, stored.get(r))])),
        Status.OK,
      );
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/children/:child_id/logs/:resource/date/:date_start/:date_end",
    id: "TR7",
    operationId: "listDailyLogs",
    summary: "One kind of daily log of a child in a date range",
    tag: TAG,
    access: { scopes: ["physicalactivities:read"], rule: childDataRead },
    responses: {
      200: json(
        "One entry per day.",
        named("DailyLogSeries", z.array(logEntrySchema)),
      ),
      400: RANGE_ERROR,
    },
    handler: async ({ c, deps: { db }, params }) => {
      const { date_start: start, date_end: end } = params;
      const resource = params.resource as LogResource;
      const days = daysOfRange(start, end);
      const stored = await logsBetween(db, params.child_id, [resource], start, end);
      return c.json(zeroFilled(days, stored.get(resource)), Status.OK);
    },
  }),
];
