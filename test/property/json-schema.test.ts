import fc from "fast-check";
import { z } from "zod";
import { ENDPOINTS } from "../../src/domains.ts";
import { assertEquals } from "../assert.ts";
import { type JsonSchema, valueOf } from "./json-schema.ts";

/**
 * The suite's valid-shaped bodies are valid: for body schemas whose JSON Schema says all
 * their rules, every generated value passes the endpoint's own zod schema. Otherwise
 * "mutated from a valid body" would start from an invalid one. (Tracking bodies are checked
 * item by item in their handlers, so their schemas accept any object or array.)
 */

const bodyOf = (name: string) => {
  const endpoint = ENDPOINTS.find((e) => e.body?.name === name);
  if (!endpoint?.body) throw new Error(`no endpoint reads ${name}`);
  return endpoint.body.schema;
};

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

const COMPLETE = [
  "Login",
  "InstitutionCreate",
  "InstitutionUpdate",
  "PasswordChange",
  "PasswordReset",
  "EducatorUpdate",
  "ApplicationUpdate",
  "FitbitTokens",
];

for (const name of COMPLETE) {
  Deno.test(`json schema values: every generated ${name} passes its zod schema`, () => {
    const schema = bodyOf(name);
    const refused = fc.sample(valueOf(jsonSchema(schema)), { seed: 1, numRuns: 200 })
      .filter((value) => !schema.safeParse(value).success);
    assertEquals(refused, []);
  });
}

Deno.test("json schema values: refused fields (`not`) are never generated", () => {
  const values = fc.sample(valueOf(jsonSchema(bodyOf("ChildUpdate"))), { seed: 1, numRuns: 200 });
  assertEquals(values.filter((value) => Object.hasOwn(value as object, "password")), []);
});

Deno.test("json schema values: hints give fields the world's values", () => {
  const hint = (name: string) => name === "institution_id" ? fc.constant("the-world") : undefined;
  const values = fc.sample(valueOf(jsonSchema(bodyOf("EducatorCreate")), hint), {
    seed: 1,
    numRuns: 50,
  });
  const ids = new Set(values.map((value) => (value as { institution_id: string }).institution_id));
  assertEquals([...ids], ["the-world"]);
});
