import { z } from "zod";
import { userBaseShape } from "../users/users.schemas.ts";
import { FITBIT_STATUSES } from "./children.store.ts";
import { errors } from "../../core/errors.ts";
import {
  type Check,
  date,
  fail,
  optional,
  pass,
  report,
  required,
  str,
} from "../../core/validation/rules.ts";
import {
  institutionId,
  optionalInstitutionId,
  optionalUsername,
  password,
  passwordNotUpdatable,
  username,
  withInstitutionAlias,
} from "../users/users.fields.ts";

/** The two genders the contract allows. */
export const GENDERS = ["male", "female"] as const;

function gender(value: unknown): Check<string> {
  return (GENDERS as readonly unknown[]).includes(value)
    ? pass(value as string)
    : fail.invalid(errors.invalidFields("The names of the allowed genders are: male, female."));
}

/**
 * The DATE rule with its last step (account.md §6.1): a past or present `YYYY-MM-DD`
 * (UTC midnight not after now).
 */
function pastDate(now: () => number) {
  return (value: unknown): Check<string> => {
    const checked = date(value);
    if (!checked.ok) return checked;
    const [y, m, d] = checked.value.split("-").map(Number);
    if (Date.UTC(y, m - 1, d) > now()) {
      return fail.invalid(errors.withMessage(
        `Datetime: ${checked.value}, cannot be used!`,
        "The 'age' and 'age_calc_date' fields can only receive past or present dates.",
      ));
    }
    return checked;
  };
}

/** A checked `age`: its stored text, and whether it is an age in years (else a birth date). */
export interface Age {
  text: string;
  years: boolean;
}

/**
 * The age rule (account.md §6.1): a number or text; numeric text is an age in years
 * (> 0), anything else a birth date under the DATE rule. `nullMessage` is what `null`
 * gives (it differs between POST and PATCH). Booleans, arrays and objects get
 * `age must be a string!` (the original turned them into text first; that was a slip).
 */
function age(now: () => number, nullMessage: string) {
  return (value: unknown): Check<Age> => {
    if (value === null) return fail.invalid(errors.invalidFields(nullMessage));
    if (typeof value !== "string" && typeof value !== "number") {
      return fail.invalid(errors.invalidFields("age must be a string!"));
    }
    const text = String(value);
    if (text === "") {
      return fail.invalid(errors.invalidFields("age must have at least one character!"));
    }
    const years = Number(text);
    if (Number.isFinite(years)) {
      return years <= 0
        ? fail.invalid(errors.invalidFields("Age cannot be less than or equal to zero!"))
        : pass({ text, years: true });
    }
    const birth = pastDate(now)(text);
    return birth.ok ? pass({ text, years: false }) : birth;
  };
}

function ageCalcDate(now: () => number) {
  return (value: unknown): Check<string> => {
    const text = str("age_calc_date")(value);
    return text.ok ? pastDate(now)(text.value) : text;
  };
}

/**
 * True for an object body. The refinements below run even when the body failed (`when`),
 * so they also see a JSON `null` or another primitive, which the object check reports.
 */
const isObject = (body: unknown) => typeof body === "object" && body !== null;

/** True when a field passed its check (a failed one holds zod's "aborted" marker). */
const isAge = (value: unknown): value is Age =>
  typeof value === "object" && value !== null && "years" in value;

const ageDoc = {
  anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "string", format: "date" }],
  description: "Age in years (then age_calc_date is required), or a birth date YYYY-MM-DD",
};
const dateDoc = { type: "string", format: "date" };
const genderDoc = { type: "string", enum: [...GENDERS] };

/** The bodies of the children routes; dates are judged against the service clock. */
export function childSchemas(now: () => number) {
  /** `POST /v1/children` (account.md §6.1), fields in validation order. */
  const create = withInstitutionAlias(
    z.object({
      username: username(),
      password: password(),
      institution_id: institutionId(),
      gender: required("gender", gender, genderDoc),
      age: required("age", age(now, "age must be a string!"), ageDoc),
      age_calc_date: optional(ageCalcDate(now), dateDoc),
    }).superRefine((body, ctx) => {
      if (!isObject(body)) return;
      // An age in years needs the date it held on.
      if (isAge(body.age) && body.age.years && body.age_calc_date === undefined) {
        report(ctx, { kind: "missing", name: "age_calc_date" }, ["age_calc_date"]);
      }
    }, { when: () => true }),
  );

  /**
   * `PATCH /v1/children/:child_id` (account.md §6.4). `age: null` answers the message the
   * peer suite expects (the original crashed with a 500 there).
   */
  const update = (params: Record<string, string>) =>
    withInstitutionAlias(
      z.object({
        username: optionalUsername(),
        institution_id: optionalInstitutionId(),
        password: passwordNotUpdatable(params.child_id ?? "{child_id}"),
        gender: optional(gender, genderDoc),
        age: optional(age(now, "Provided age is not a valid number!"), ageDoc),
        age_calc_date: optional(ageCalcDate(now), dateDoc),
      }).superRefine((body, ctx) => {
        if (!isObject(body)) return;
        if (isAge(body.age) && body.age.years && body.age_calc_date === undefined) {
          report(ctx, { kind: "missing", name: "age_calc_date" }, ["age_calc_date"]);
        }
        if (body.age === undefined && body.age_calc_date !== undefined) {
          report(ctx, { kind: "missing", name: "age" }, ["age"]);
        }
      }, { when: () => true }),
    );

  return { create, update };
}

/** A valid `POST /v1/children` body. */
export type NewChild = z.output<ReturnType<typeof childSchemas>["create"]>;
/** The changes a child PATCH may make. */
export type ChildChanges = z.output<ReturnType<ReturnType<typeof childSchemas>["update"]>>;

/** A child inside a family or a group (account.md §1.7): no NFC keys. */
export const nestedChildSchema = z.strictObject({
  ...userBaseShape,
  gender: z.string().optional().meta({ enum: [...GENDERS] }),
  age: z.string().optional().meta({ description: "Birth date, or age in years as text" }),
  age_calc_date: z.string().optional().meta({ description: "YYYY-MM-DD" }),
  last_sync: z.string().optional().meta({ description: "ISO 8601 instant of the last sync" }),
  fitbit_status: z.enum(FITBIT_STATUSES),
});

/** A child as the `/v1/children` routes show it. */
export const childSchema = z.strictObject({
  ...nestedChildSchema.shape,
  nfc_tag: z.string().optional(),
  tag_ass_time: z.string().optional().meta({ description: "When the NFC tag was assigned" }),
});

/** The JSON view of a child inside a family or group. */
export type NestedChildView = z.output<typeof nestedChildSchema>;
/** The JSON view of a child. */
export type ChildView = z.output<typeof childSchema>;
