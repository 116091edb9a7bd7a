import { z } from "zod";
import { errors } from "../../core/errors.ts";
import { type Check, fail, optional, pass, required, str } from "../../core/validation/rules.ts";

/**
 * Latitude and longitude must be JSON numbers (contract README decision); they are
 * stored and shown as text. Any other value gets the field's string message, which is
 * what the peer suite asserts for text such as "TEXT".
 */
function coordinate(name: string) {
  return (value: unknown): Check<string> =>
    typeof value === "number" && Number.isFinite(value)
      ? pass(String(value))
      : fail.invalid(errors.invalidFields(`${name} must be a string!`));
}

const text = { type: "string", minLength: 1 };
const number = { type: "number" };

/** Body of `POST /v1/institutions`, fields in the contract's validation order. */
export const createInstitutionBody = z.object({
  name: required("name", str("name"), { ...text, description: "Unique name" }),
  type: required("type", str("type"), { ...text, description: "Kind of institution, e.g. School" }),
  address: optional(str("address"), text),
  latitude: optional(coordinate("latitude"), number),
  longitude: optional(coordinate("longitude"), number),
});

/** Body of `PATCH /v1/institutions/:institution_id`: any subset of the create fields. */
export const updateInstitutionBody = z.object({
  name: optional(str("name"), text),
  type: optional(str("type"), text),
  address: optional(str("address"), text),
  latitude: optional(coordinate("latitude"), number),
  longitude: optional(coordinate("longitude"), number),
});

/** A new institution's fields. */
export type NewInstitution = z.output<typeof createInstitutionBody>;
/** The fields a PATCH may change. */
export type InstitutionChanges = z.output<typeof updateInstitutionBody>;

/** An institution as every answer shows it (account.md §1.7); unset keys are left out. */
export const institutionSchema = z.strictObject({
  id: z.string().meta({ description: "24-hex id" }),
  type: z.string(),
  name: z.string(),
  address: z.string().optional(),
  latitude: z.string().optional().meta({ description: "Sent as a number, shown as text" }),
  longitude: z.string().optional().meta({ description: "Sent as a number, shown as text" }),
});

/** The JSON view of an institution. */
export type InstitutionView = z.output<typeof institutionSchema>;
