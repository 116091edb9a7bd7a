import { Hono } from "hono";
import { LOG_RESOURCES, type LogResource } from "../../access/params.ts";
import type { AppEnv, Deps } from "../../core/context.ts";
import { pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate } from "../../core/validation/validator.ts";
import { multiStatus, storeItems } from "../bulk.ts";
import { daysOfRange } from "./logs.range.ts";
import { logsBody } from "./logs.schemas.ts";
import { logBulk, type LogEntry, logsBetween } from "./logs.store.ts";

/** One entry per day of the range, 0 where nothing is stored (tracking.md §7.2). */
function zeroFilled(days: string[], stored: Map<string, number> | undefined): LogEntry[] {
  return days.map((date) => ({ date, value: stored?.get(date) ?? 0 }));
}

/**
 * `/v1/children/:child_id/logs/...` (tracking.md §7), mounted under `/v1/children`.
 * Access rules: see access/permissions.ts (TR6–TR8).
 */
export function logRoutes(deps: Deps) {
  const { db, now, log } = deps;
  return new Hono<AppEnv>()
    // Always 207: a malformed child id or resource is reported per item (the guard let
    // them through as text and ran ownership only on well-formed paths).
    .post("/:child_id/logs/:resource", validate("json", logsBody), async (c) => {
      const resource = logBulk(pathParam(c, "child_id"), pathParam(c, "resource"), now());
      const outcomes = await storeItems(db, resource, c.req.valid("json"), log);
      return c.json(multiStatus(outcomes), Status.MULTI_STATUS);
    })
    .get("/:child_id/logs/date/:date_start/:date_end", async (c) => {
      const [start, end] = [pathParam(c, "date_start"), pathParam(c, "date_end")];
      const days = daysOfRange(start, end);
      const stored = await logsBetween(db, pathParam(c, "child_id"), LOG_RESOURCES, start, end);
      return c.json(
        Object.fromEntries(LOG_RESOURCES.map((r) => [r, zeroFilled(days, stored.get(r))])),
        Status.OK,
      );
    })
    .get("/:child_id/logs/:resource/date/:date_start/:date_end", async (c) => {
      const [start, end] = [pathParam(c, "date_start"), pathParam(c, "date_end")];
      const resource = pathParam(c, "resource") as LogResource;
      const days = daysOfRange(start, end);
      const stored = await logsBetween(db, pathParam(c, "child_id"), [resource], start, end);
      return c.json(zeroFilled(days, stored.get(resource)), Status.OK);
    });
}
