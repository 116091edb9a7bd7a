import type { Hono } from "hono";
import { z } from "zod";
import { defaultParamRules } from "../access/params.ts";
import { permissionFor } from "../access/permissions.ts";
import type { AppEnv } from "../core/context.ts";
import { documentedInputs } from "../core/validation/validator.ts";

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
};

const errorBody = {
  type: "object",
  required: ["code", "message"],
  properties: {
    code: { type: "integer" },
    message: { type: "string" },
    description: { type: "string" },
    redirect_link: { type: "string" },
  },
};

/**
 * Builds the OpenAPI 3.1 document from the app itself: every registered route, its
 * permission row (summary, scopes, ownership rule) and the zod schemas its validators
 * and path parameters use. Nothing here is written by hand per route.
 */
export function buildOpenApi(app: Hono<AppEnv>, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method} ${route.path}`;
    const permission = permissionFor(route.method, route.path);
    if (!permission || permission.internal || seen.has(key)) continue;
    seen.add(key);
    const inputs = app.routes
      .filter((r) => r.method === route.method && r.path === route.path)
      .map((r) => documentedInputs.get(r.handler))
      .filter((input) => input !== undefined);
    const pathParams = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: jsonSchema(permission.params?.[name] ?? defaultParamRules[name] ?? z.string()),
    }));
    const query = inputs.find((input) => input.target === "query");
    const body = inputs.find((input) => input.target === "json");
    const isPublic = permission.scopes === "public";
    const operation: Record<string, unknown> = {
      operationId: permission.id,
      summary: permission.summary,
      tags: [permission.tag],
      ...(isPublic ? { security: [] } : {
        security: [{ bearer: [] }],
        "x-scopes": permission.scopes,
        ...(permission.rule?.name && { "x-ownership-rule": permission.rule.name }),
      }),
      parameters: [
        ...pathParams,
        ...(query
          ? [{
            name: "query",
            in: "query",
            style: "form",
            explode: true,
            schema: jsonSchema(query.schema),
          }]
          : []),
      ],
      ...(body && {
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchema(body.schema) } },
        },
      }),
      responses: {
        "2XX": { description: "Success" },
        default: {
          description: "Error (contract envelope)",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    };
    const openApiPath = route.path.replace(/:(\w+)/g, "{$1}");
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "OCARIoT platform API",
      version,
      description: "Accounts, activity tracking and Fitbit data sync for children's health data.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: errorBody },
    },
    paths,
  };
}
