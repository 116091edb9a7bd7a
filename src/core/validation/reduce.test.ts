import { z } from "zod";
import { assertEquals } from "../../../test/assert.ts";
import { errors } from "../errors.ts";
import { group } from "./reduce.ts";
import {
  datetime,
  fail,
  intAtLeastZero,
  isPositiveInt,
  optional,
  pass,
  report,
  required,
  str,
} from "./rules.ts";
import { validateValue } from "./validator.ts";

// The contract's error selection (tracking.md §1.6), on a schema shaped like a tracking item.
const zone = (name: string) =>
  group(
    z.object({
      min: required(
        `${name}.min`,
        (v) => isPositiveInt(v) ? pass(Number(v)) : fail.noted(`${name}.min`),
      ),
      duration: required(`${name}.duration`, intAtLeastZero(`${name}.duration`)),
    }),
    {
      noted: (names) =>
        errors.invalidFields(`${names.join(", ")} must be an integer greater than zero.`),
    },
  );

const item = z.object({
  start_time: required("start_time", datetime),
  duration: required("duration", intAtLeastZero("duration")),
  name: required("name", str("name")),
  zone: zone("zone").optional(),
  steps: optional(intAtLeastZero("steps")),
}).superRefine((value, ctx) => {
  if (value.duration === 7) {
    report(ctx, { kind: "invalid", error: errors.invalidFields("cross check") }, ["duration"]);
  }
}, { when: () => true } as never);

const errorOf = (value: unknown) => {
  const result = validateValue(item, value);
  return result.ok ? "ok" : result.error.toBody();
};

const cases: [string, unknown, unknown][] = [
  ["valid", { start_time: "2020-01-01T00:00:00Z", duration: 1, name: "x" }, "ok"],
  [
    "all missing, in field order",
    {},
    errors.requiredFields(["start_time", "duration", "name"]).toBody(),
  ],
  [
    "an invalid step wins over missing ones",
    { duration: -1 },
    errors.invalidFields(
      "duration must be an integer equal to or greater than zero.",
    ).toBody(),
  ],
  [
    "the first invalid step in field order wins",
    { start_time: "2020-01-01T00:00:00Z", name: 3, steps: "x", duration: "y" },
    errors
      .invalidFields("duration must be an integer equal to or greater than zero.").toBody(),
  ],
  [
    "a read-phase failure wins over an earlier invalid step",
    { duration: -1, start_time: null },
    errors.withMessage(
      "Datetime: null, is not in valid ISO 8601 format.",
      "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
    ).toBody(),
  ],
  [
    "a cross-field check sorts right after its field",
    { start_time: "2020-01-01T00:00:00Z", duration: 7, name: 3 },
    errors
      .invalidFields("cross check").toBody(),
  ],
  [
    "a nested group reports its own missing fields at once",
    { zone: {} },
    errors.requiredFields([
      "zone.min",
      "zone.duration",
    ]).toBody(),
  ],
  [
    "noted fields come after the group's missing ones",
    { zone: { min: 0 } },
    errors.requiredFields(["zone.duration"])
      .toBody(),
  ],
  [
    "noted fields are reported when nothing is missing",
    { zone: { min: 0, duration: 1 } },
    errors.invalidFields(
      "zone.min must be an integer greater than zero.",
    ).toBody(),
  ],
  ["a non-object body is a malformed body", 42, errors.malformedBody().toBody()],
];

for (const [name, value, expected] of cases) {
  Deno.test(`validation: ${name}`, () => {
    assertEquals(errorOf(value), expected);
  });
}

Deno.test("validation: DATETIME accepts zones and fractions and reads zone-less values as UTC", () => {
  assertEquals(datetime("2019-12-14T12:52:59"), pass(Date.UTC(2019, 11, 14, 12, 52, 59)));
  assertEquals(
    datetime("2019-12-14T12:52:59.5-03:00"),
    pass(Date.UTC(2019, 11, 14, 15, 52, 59, 500)),
  );
  assertEquals(datetime("2020-02-29t00:00:00z").ok, true);
  for (
    const bad of [
      "2019-02-29T00:00:00Z",
      "2019-13-01T00:00:00Z",
      "2019-01-01T24:00:00Z",
      "2019-01-01T00:00Z",
      "1600-01-01T00:00:00Z",
    ]
  ) {
    assertEquals(datetime(bad).ok, false, bad);
  }
});
