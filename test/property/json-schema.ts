import fc from "fast-check";

/**
 * Values shaped like a JSON Schema (the subset `z.toJSONSchema` writes for the body
 * schemas: objects, arrays, strings with enum, format, pattern and length, numbers and
 * integers with bounds, booleans, `anyOf`/`oneOf`, `not`, `$ref` into `$defs`). Fields
 * can be given values of the world by name (ids that exist, known usernames), so that
 * valid-shaped bodies reach what lies behind validation.
 */

// deno-lint-ignore no-explicit-any
export type JsonSchema = Record<string, any>;

/** A world value for a property, by its name and schema; undefined for the default. */
export type Hint = (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

const ISO_RANGE = { min: new Date("2015-01-01"), max: new Date("2025-12-31"), noInvalidDate: true };

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...schema.enum as string[]);
  if (schema.format === "date-time") return fc.date(ISO_RANGE).map((d) => d.toISOString());
  if (schema.format === "date") return fc.date(ISO_RANGE).map((d) => d.toISOString().slice(0, 10));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 16, 64));
  const text = fc.string({ minLength, maxLength });
  return schema.example === undefined ? text : fc.oneof(fc.constant(String(schema.example)), text);
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
  if (integer) {
    return fc.integer({
      min: Math.ceil(min) + (schema.exclusiveMinimum !== undefined ? 1 : 0),
      max: Math.floor(max) - (schema.exclusiveMaximum !== undefined ? 1 : 0),
    });
  }
  return fc.double({
    min,
    max,
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

/** A JSON value of no particular shape (for `{}` schemas). */
const anyJson = fc.jsonValue({ maxDepth: 2 });

/** An arbitrary of values valid for `schema` (within `root`, for `$ref`). */
export function valueOf(
  schema: JsonSchema,
  hint: Hint = () => undefined,
  root: JsonSchema = schema,
): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = String(schema.$ref).replace(/^#\/\$defs\//, "");
    return fc.constant(null).chain(() => valueOf(root.$defs?.[name] ?? {}, hint, root));
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b: JsonSchema) => valueOf(b, hint, root)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = schema.type;
  if (Array.isArray(type)) {
    return fc.oneof(...type.map((t: string) => valueOf({ ...schema, type: t }, hint, root)));
  }
  switch (type) {
    case "object":
      return objectOf(schema, hint, root);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? minLength + 3, 8));
      return fc.array(valueOf(schema.items ?? {}, hint, root), { minLength, maxLength });
    }
    case "string":
      return stringOf(schema);
    case "integer":
      return numberOf(schema, true);
    case "number":
      return numberOf(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return anyJson;
  }
}

/** Whether a property must never be sent: refused (`not: {}`) or set by the server. */
const forbidden = (schema: JsonSchema) => schema.readOnly === true || schema.not !== undefined;

function objectOf(schema: JsonSchema, hint: Hint, root: JsonSchema): fc.Arbitrary<unknown> {
  const properties: Record<string, JsonSchema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (forbidden(property) && !required.has(name)) continue;
    fields[name] = hint(name, property) ?? valueOf(property, hint, root);
  }
  return fc.record(fields, { requiredKeys: [...required].filter((name) => name in fields) });
}
