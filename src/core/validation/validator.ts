import { zValidator } from "@hono/zod-validator";
import type { Context, Env, MiddlewareHandler, ValidationTargets } from "hono";
import type { AppEnv } from "../context.ts";
import type { z } from "zod";
import { type ApiError, errors } from "../errors.ts";
import { type ReportOptions, toApiError } from "./reduce.ts";
import { contractIssueOf } from "./rules.ts";

/**
 * The one validator every route uses: zod validation through @hono/zod-validator
 * with the shared hook, which throws the contract error for the first failing step
 * so that the app's single `onError` formats it.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
  options: ReportOptions = {},
) {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) throw toApiError(schema, result.error.issues, options);
  });
  const middleware: typeof validator = async (c, next) => {
    if (target === "json") {
      const text = await c.req.text();
      // An empty JSON body counts as `{}` (gateway.md §5.4), not as malformed JSON.
      if (text.trim() === "") {
        // Hono keeps body promises in this cache (typed as values); json() parses `text`.
        (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve("{}");
      } else if (jsonDepth(text) > MAX_JSON_DEPTH) {
        throw errors.malformedBody();
      }
    }
    return await validator(c, next);
  };
  return middleware;
}

/**
 * The deepest nesting a JSON body may have; no body of the API comes near it. Deeper
 * bodies are refused as malformed: a bulk answer echoes the items it refused, and
 * writing JSON thousands of levels deep overflows the stack (a 500).
 */
export const MAX_JSON_DEPTH = 64;

/** How deeply arrays and objects nest in a JSON text (brackets inside strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0, deepest = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (char === OPEN_BRACKET || char === OPEN_BRACE) deepest = Math.max(deepest, ++depth);
    else if (char === CLOSE_BRACKET || char === CLOSE_BRACE) depth--;
  }
  return deepest;
}

const [QUOTE, BACKSLASH, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE] = [...'"\\[]{}']
  .map((char) => char.charCodeAt(0));

/**
 * Like `validate`, for a schema whose messages quote validated path parameters (the
 * PATCH routes' `password` refusal names the path id). The access guard has validated
 * the parameters by then.
 */
export function validateWithParams<
  Target extends keyof ValidationTargets,
  Schema extends z.ZodType,
>(
  target: Target,
  build: (params: Record<string, string>) => Schema,
  options: ReportOptions = {},
): MiddlewareHandler {
  return (c, next) =>
    validate(target, build((c as Context<AppEnv>).var.params ?? {}), options)(c, next);
}

/**
 * The result of validating one value outside a request (bulk items, sync items).
 * `read` tells that the error comes from reading the value (phase A, tracking.md §1.6):
 * bulk answers list those failures last and echo the element as sent (§1.7).
 */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: ApiError; read: boolean };

/** Validates one value with the same rules and error selection as `validate`. */
export function validateValue<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  options: ReportOptions = {},
): Validated<z.output<Schema>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues;
  const read = issues.some((issue) => {
    const contract = contractIssueOf(issue);
    return contract?.kind === "invalid" && contract.read === true;
  });
  return { ok: false, error: toApiError(schema, issues, options), read };
}

/**
 * Like `validate("json", …)`, but a body that is not valid JSON counts as `{}` and a
 * form-encoded body is read too. Login uses it: the original gateway dropped bad JSON
 * there, so the required-fields error answers instead (gateway.md §4.6).
 */
export function validateLenientBody<Schema extends z.ZodType>(
  schema: Schema,
  options: ReportOptions = {},
) {
  const middleware: MiddlewareHandler<
    Env,
    string,
    { in: { json: z.input<Schema> }; out: { json: z.output<Schema> } }
  > = async (c, next) => {
    const type = c.req.header("Content-Type") ?? "";
    const text = await c.req.text();
    let body: unknown = {};
    if (/application\/x-www-form-urlencoded/i.test(type)) {
      body = Object.fromEntries(new URLSearchParams(text));
    } else if (/json/i.test(type)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = {};
      }
    }
    const result = validateValue(schema, body, options);
    if (!result.ok) throw result.error;
    c.req.addValidatedData("json", result.value as object);
    await next();
  };
  return middleware;
}
