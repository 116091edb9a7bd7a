/** Forms: bodies from submitted values, and where the API's message goes. */
import { assertEquals } from "../../test/assert.ts";
import { changedBody, createBody, type FieldSpec, placeError } from "./forms.ts";

const CHILD_FIELDS: FieldSpec[] = [
  { name: "username", label: "Username", kind: "text" },
  { name: "password", label: "Password", kind: "password" },
  { name: "institution_id", label: "Institution", kind: "select", aliases: ["institution"] },
  { name: "gender", label: "Gender", kind: "select", aliases: ["genders"] },
  { name: "age", label: "Age", kind: "text" },
  { name: "age_calc_date", label: "Date", kind: "text" },
];
const GROUP_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", kind: "text" },
  { name: "school_class", label: "Class", kind: "text" },
  { name: "children", label: "Children", kind: "choices" },
];
const PLACE_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", kind: "text" },
  { name: "latitude", label: "Latitude", kind: "number" },
];

Deno.test("createBody: filled fields only; numbers as numbers, other text as typed", () => {
  assertEquals(createBody(PLACE_FIELDS, { name: "A", latitude: "41.5" }), {
    name: "A",
    latitude: 41.5,
  });
  assertEquals(createBody(PLACE_FIELDS, { name: "", latitude: "north" }), { latitude: "north" });
  assertEquals(createBody(GROUP_FIELDS, { name: "G", children: ["a", "b"] }), {
    name: "G",
    children: ["a", "b"],
  });
  assertEquals(createBody(GROUP_FIELDS, { name: "G", children: [] }), { name: "G" });
});

Deno.test("changedBody: only what differs from the record; never the password", () => {
  const current = { name: "G", school_class: "4A", children: ["a", "b"] };
  assertEquals(changedBody(GROUP_FIELDS, { ...current }, current), {});
  assertEquals(changedBody(GROUP_FIELDS, { ...current, children: ["b", "a"] }, current), {
    children: ["b", "a"],
  });
  assertEquals(changedBody(GROUP_FIELDS, { name: "G", school_class: "", children: [] }, current), {
    school_class: "",
    children: [],
  });
  assertEquals(
    changedBody(CHILD_FIELDS, { username: "x", password: "new" }, { username: "x" }),
    {},
  );
});

const invalid = (description: string) => ({
  code: 400,
  message: "One or more request fields are invalid...",
  description,
});

for (
  const [name, fields, error, values, unique, expected] of [
    [
      "a field named in the description",
      GROUP_FIELDS,
      invalid("name must have at least one character!"),
      {},
      "name",
      { name: ["name"] },
    ],
    [
      "every missing field",
      GROUP_FIELDS,
      {
        code: 400,
        message: "Required fields were not provided...",
        description: "name, Collection with children IDs are required!",
      },
      {},
      "name",
      { name: ["name", "children"] },
    ],
    [
      "an alias (institution for institution_id), not inside another word",
      CHILD_FIELDS,
      {
        code: 400,
        message: "Required fields were not provided...",
        description: "username, password, institution, gender, age are required!",
      },
      {},
      "username",
      { name: ["username", "password", "institution_id", "gender", "age"] },
    ],
    [
      "a path-style name in braces",
      CHILD_FIELDS,
      { code: 400, message: "Parameter {institution_id} is not in valid format!" },
      {},
      "username",
      { name: ["institution_id"] },
    ],
    [
      "two named fields, the one whose value is quoted",
      CHILD_FIELDS,
      {
        code: 400,
        message: "Datetime: 2030-01-01, cannot be used!",
        description: "The 'age' and 'age_calc_date' fields can only receive past or present dates.",
      },
      { age: "9", age_calc_date: "2030-01-01" },
      "username",
      { name: ["age_calc_date"] },
    ],
    [
      "a conflict on the unique field (not on a field the text mentions)",
      GROUP_FIELDS,
      { code: 409, message: "Children Group is already registered..." },
      {},
      "name",
      { name: ["name"] },
    ],
    [
      "nothing named: above the form",
      GROUP_FIELDS,
      { code: 403, message: "FORBIDDEN", description: "Authorization failed." },
      {},
      "name",
      { form: "FORBIDDEN Authorization failed." },
    ],
  ] as const
) {
  Deno.test(`placeError: ${name}`, () => {
    const placed = placeError(error, fields, values as Record<string, string>, unique);
    if ("form" in expected) {
      assertEquals(placed, { fields: {}, form: expected.form });
    } else {
      const text = [error.message, (error as { description?: string }).description]
        .filter(Boolean).join(" ");
      assertEquals(placed, {
        fields: Object.fromEntries(expected.name.map((field) => [field, text])),
      });
    }
  });
}
