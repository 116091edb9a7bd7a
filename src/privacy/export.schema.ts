import { z } from "zod";
import { childSchema } from "../accounts/children/children.schemas.ts";
import { HEX_ID } from "../core/ids.ts";
import { bodyFatSchema } from "../tracking/bodyfats/bodyfats.schemas.ts";
import { logEntrySchema } from "../tracking/logs/logs.schemas.ts";
import { physicalActivitySchema } from "../tracking/physical-activities/physical-activities.schemas.ts";
import { sleepSchema } from "../tracking/sleep/sleep.schemas.ts";
import { weightSchema } from "../tracking/weights/weights.schemas.ts";
import { wearableStatusSchema } from "../wearables/wearables.schemas.ts";
import { EXPORT_FORMAT } from "./export.document.ts";

const hexId = z.string().regex(HEX_ID);
const instant = z.iso.datetime({ offset: true });

/**
 * The wearable connection as the export shows it: WS1's answer, plus (with a connection)
 * the granted scope, the provider's user id and when it last changed. Never its tokens.
 */
const exportedWearable = wearableStatusSchema.extend({
  scope: z.string().optional(),
  external_user_id: z.string().optional(),
  updated_at: instant.optional(),
});

/** A family of the child: its own account fields, without its other children. */
const exportedFamily = z.looseObject({ id: hexId, username: z.string() });

/** A group holding the child, with who owns it; other members are left out. */
const exportedGroup = z.strictObject({
  id: hexId,
  name: z.string(),
  school_class: z.string().optional(),
  owner: z.strictObject({
    id: hexId,
    type: z.string().optional(),
    username: z.string().optional(),
  }),
});

/** `GET /v1/children/:child_id/export`: everything held about a child, one document. */
export const childExportSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  exported_at: instant,
  child: childSchema,
  wearable: exportedWearable,
  families: z.array(exportedFamily),
  groups: z.array(exportedGroup),
  physical_activities: z.array(physicalActivitySchema),
  sleep: z.array(sleepSchema),
  weights: z.array(weightSchema),
  body_fats: z.array(bodyFatSchema),
  logs: z.record(z.string(), z.array(logEntrySchema)),
});
