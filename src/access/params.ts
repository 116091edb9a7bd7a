import type { z } from "zod";
import { errors } from "../core/errors.ts";
import { HEX_ID, normalizeId } from "../core/ids.ts";
import { date, fail, field, pass } from "../core/validation/rules.ts";

/** A path parameter rule: a zod schema whose failure is the route's own 400. */
export type ParamRule = z.ZodType<string>;

/** A 24-hex path id; failure: `Parameter {name} is not in valid format!`. Lowercased. */
export function idParam(name: string): ParamRule {
  return field(
    (value) =>
      typeof value === "string" && HEX_ID.test(value)
        ? pass(normalizeId(value))
        : fail.invalid(errors.invalidParam(name)),
    { type: "string", pattern: HEX_ID.source, description: `24-hex id (${name})` },
  );
}

/** A 24-hex path id reported with the generic `Some ID provided does not have a valid format!`. */
export function genericIdParam(): ParamRule {
  return field(
    (value) =>
      typeof value === "string" && HEX_ID.test(value)
        ? pass(normalizeId(value))
        : fail.invalid(errors.invalidId()),
    { type: "string", pattern: HEX_ID.source, description: "24-hex id" },
  );
}

/**
 * Any text, with a well-formed 24-hex id lowercased like `idParam` does: for routes whose
 * handler reports a malformed id itself (the log POST answers it per item in a 207).
 */
export function lenientIdParam(description: string): ParamRule {
  return field(
    (value) =>
      pass(typeof value === "string" && HEX_ID.test(value) ? normalizeId(value) : String(value)),
    { type: "string", description },
  );
}

/** Any text: the parameter is checked by the handler itself (or not at all). */
export function textParam(description: string): ParamRule {
  return field((value) => pass(String(value)), { type: "string", description });
}

/** A `YYYY-MM-DD` path date (the DATE rule). */
export function dateParam(): ParamRule {
  return field(date, { type: "string", format: "date" });
}

/** The daily-log resource names (tracking.md §7). */
export const LOG_RESOURCES = [
  "steps",
  "calories",
  "active_minutes",
  "lightly_active_minutes",
  "sedentary_minutes",
] as const;

/** A daily-log resource name. */
export type LogResource = (typeof LOG_RESOURCES)[number];

/** The `{resource}` of the log routes. */
export function logResourceParam(): ParamRule {
  return field(
    (value) =>
      (LOG_RESOURCES as readonly unknown[]).includes(value) ? pass(String(value)) : fail.invalid(
        errors.invalidFields(
          `The names of the allowed types are: ${LOG_RESOURCES.join(", ")}.`,
        ),
      ),
    { type: "string", enum: [...LOG_RESOURCES] },
  );
}

/**
 * The rule for each path parameter name, used by every route unless its permission
 * row overrides it. Parameters are validated left to right, before ownership runs.
 */
export const defaultParamRules: Record<string, ParamRule> = Object.fromEntries([
  ...[
    "user_id",
    "child_id",
    "institution_id",
    "family_id",
    "educator_id",
    "healthprofessional_id",
    "application_id",
    "group_id",
    "physicalactivity_id",
    "sleep_id",
    "weight_id",
    "bodyfat_id",
    "environment_id",
    "device_id",
  ].map((name) => [name, idParam(name)]),
  ["nfc_tag", textParam("NFC tag")],
  ["resource", logResourceParam()],
  ["date_start", dateParam()],
  ["date_end", dateParam()],
]);
