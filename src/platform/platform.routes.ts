import { sql } from "drizzle-orm";
import { z } from "zod";
import denoJson from "../../deno.json" with { type: "json" };
import { defineEndpoint, empty, type Endpoint, html, json, named } from "../api/endpoint.ts";
import { buildOpenApi } from "../api/openapi.ts";
import { Status } from "../core/status.ts";
import { REFERENCE_PATH, referenceAsset, referencePage } from "./reference.ts";

/** The service version, from deno.json. */
export const VERSION = denoJson.version;

const TAG = "Platform";
const PUBLIC = { scopes: "public" } as const;

const ServiceInfo = named(
  "ServiceInfo",
  z.strictObject({ name: z.string(), version: z.string(), status: z.literal("up") }),
);
const Health = named(
  "Health",
  z.strictObject({
    status: z.enum(["ok", "error"]),
    database: z.enum(["reachable", "unreachable"]),
  }),
);
const OpenApiDocument = named(
  "OpenApiDocument",
  z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
    .meta({ description: "This document" }),
);

/** Built once per list of endpoints (the app's never changes once mounted). */
const documents = new WeakMap<readonly Endpoint[], ReturnType<typeof buildOpenApi>>();

/** Home, health, the OpenAPI document and the reference page (gateway.md G0–G2, HC). */
export const platformEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/",
    id: "G1",
    operationId: "home",
    summary: "Redirects to the API reference",
    tag: TAG,
    access: PUBLIC,
    responses: {
      302: empty("To `/v1/reference`.", {
        Location: { description: "`/v1/reference`", schema: { type: "string" } },
      }),
    },
    handler: ({ c }) => c.redirect(REFERENCE_PATH, Status.FOUND),
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1",
    id: "G0",
    operationId: "getServiceInfo",
    summary: "Says the service is up, with its version",
    tag: TAG,
    access: PUBLIC,
    responses: { 200: json("The service's name and version.", ServiceInfo) },
    handler: ({ c }) =>
      c.json({ name: "OCARIoT platform API", version: VERSION, status: "up" }, Status.OK),
  }),
  defineEndpoint({
    method: "GET",
    path: "/health",
    id: "HC",
    operationId: "getHealth",
    summary: "Reports whether the database is reachable",
    tag: TAG,
    access: PUBLIC,
    responses: {
      200: json("The database answers.", Health),
      503: json("The database does not answer.", Health),
    },
    handler: async ({ c, deps: { db, log } }) => {
      try {
        await db.run(sql`select 1`);
        return c.json({ status: "ok", database: "reachable" }, Status.OK);
      } catch (error) {
        log.error("health check failed", { error: String(error) });
        return c.json({ status: "error", database: "unreachable" }, Status.SERVICE_UNAVAILABLE);
      }
    },
  }),
  defineEndpoint({
    method: "GET",
    path: REFERENCE_PATH,
    id: "G2",
    operationId: "getReference",
    summary: "Interactive API reference",
    tag: TAG,
    access: PUBLIC,
    responses: { 200: html("The reference page.") },
    handler: ({ c }) => referencePage(c),
  }),
  defineEndpoint({
    method: "GET",
    path: `${REFERENCE_PATH}/assets/:tag/:file`,
    id: "G2c",
    operationId: "getReferenceAsset",
    summary: "A file of the reference page (script, style, icon), cached for a year",
    tag: TAG,
    access: PUBLIC,
    responses: {
      200: { description: "The file.", media: "*/*" },
      404: "No such file in this version of the page.",
    },
    handler: ({ c, params }) => referenceAsset(c, params.tag, params.file),
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/openapi.json",
    id: "G2b",
    operationId: "getOpenApiDocument",
    summary: "OpenAPI 3.1 document of this API",
    tag: TAG,
    access: PUBLIC,
    responses: { 200: json("This API's OpenAPI 3.1 document.", OpenApiDocument) },
    handler: ({ c, endpoints }) => {
      let document = documents.get(endpoints);
      if (!document) documents.set(endpoints, document = openApiDocument(endpoints));
      return c.json(document, Status.OK);
    },
  }),
];

/** The OpenAPI document of these endpoints, as `/v1/openapi.json` serves it. */
export function openApiDocument(endpoints: readonly Endpoint[]) {
  return buildOpenApi(endpoints, {
    version: VERSION,
    description: "Accounts, activity tracking and wearable data sync for children's health " +
      "data. Every route but the platform's and login needs a bearer token from " +
      "`POST /v1/auth`; each operation says who may call it.",
  });
}
