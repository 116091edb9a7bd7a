import { z } from "zod";
import { defaultParamRules } from "../access/params.ts";
import { type Endpoint, type Named, pathParameterNames, responsesOf } from "./endpoint.ts";
import { TAGS } from "./tags.ts";

type JsonObject = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without `$schema`. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

/** Collects named schemas once each; a name given to two different schemas is an error. */
class Components {
  readonly schemas: Record<string, JsonObject> = {};

  ref(named: Named, io: "input" | "output"): JsonObject {
    const schema = jsonSchema(named.schema, io);
    const known = this.schemas[named.name];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`two different schemas are named ${named.name}`);
    }
    this.schemas[named.name] = schema;
    return { $ref: `#/components/schemas/${named.name}` };
  }
}

/** The path as OpenAPI writes it: `{name}` for each parameter. */
const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

const segmentsOf = (path: string) => path.split("/").filter(Boolean);
const isTemplate = (segment: string) => segment.startsWith("{");

/**
 * Where `path` has a literal segment and another path of the same length, otherwise
 * compatible, has a parameter, at the first segment the two differ in
 * (`/v1/children/nfc/{nfc_tag}` against `/v1/children/{child_id}/weights`): the position
 * of that literal, or -1. The router tries such a literal path first.
 */
function ambiguityAt(path: string, others: readonly string[]): number {
  const mine = segmentsOf(path);
  for (const other of others) {
    const theirs = segmentsOf(other);
    if (other === path || theirs.length !== mine.length) continue;
    const compatible = mine.every((segment, i) =>
      segment === theirs[i] || isTemplate(segment) || isTemplate(theirs[i])
    );
    if (!compatible) continue;
    const first = mine.findIndex((segment, i) => segment !== theirs[i]);
    if (first >= 0 && !isTemplate(mine[first]) && isTemplate(theirs[first])) return first;
  }
  return -1;
}

/**
 * Where the document puts an operation. A path whose literal segment could be read as
 * another path's parameter is written relative to a path-level server holding the
 * segments before it: the URL is the same (server + path), and no two path templates
 * of the document overlap. The server matches the literal path first (it is registered
 * first), as OpenAPI says concrete paths are matched before templated ones.
 */
function placement(path: string, all: readonly string[]): { path: string; server?: string } {
  const at = ambiguityAt(path, all);
  if (at < 0) return { path };
  const segments = segmentsOf(path);
  return {
    server: `/${segments.slice(0, at).join("/")}`,
    path: `/${segments.slice(at).join("/")}`,
  };
}

/** Who may call, in words, for the operation's description. */
function whoMayCall(endpoint: Endpoint): string {
  const { scopes, rule } = endpoint.access;
  if (scopes === "public") return "**Who may call:** anyone; no token.";
  const scopeList = scopes.map((scope) => `\`${scope}\``).join(" or ");
  const ruleText = rule ? ` Then \`${rule.ruleName}\`: ${rule.who}.` : "";
  return `**Who may call:** a token with ${scopeList}.${ruleText}`;
}

function operationOf(endpoint: Endpoint, components: Components): JsonObject {
  const { access } = endpoint;
  const parameters: JsonObject[] = pathParameterNames(endpoint.path).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: jsonSchema(access.params?.[name] ?? defaultParamRules[name] ?? z.string(), "input"),
  }));
  for (const parameter of endpoint.query?.parameters ?? []) {
    parameters.push({
      name: parameter.name,
      in: "query",
      required: false,
      description: parameter.description,
      schema: parameter.schema ?? { type: "string" },
    });
  }
  const responses: JsonObject = {};
  for (const [status, doc] of Object.entries(responsesOf(endpoint))) {
    const content = doc.media ? { [doc.media]: { schema: { type: "string" } } } : doc.body
      ? {
        "application/json": {
          schema: doc.many
            ? { type: "array", items: components.ref(doc.body, "output") }
            : components.ref(doc.body, "output"),
        },
      }
      : undefined;
    responses[status] = {
      description: doc.description,
      ...(doc.headers && { headers: doc.headers }),
      ...(content && { content }),
    };
  }
  const description = [
    endpoint.description,
    whoMayCall(endpoint),
    endpoint.query?.filters &&
    "Any other query key is a filter on a field of that name; a key that names no field " +
      "of the resource matches nothing. `X-Total-Count` ignores filters and paging.",
  ].filter(Boolean).join("\n\n");
  const isPublic = access.scopes === "public";
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description,
    tags: [endpoint.tag],
    "x-contract-id": endpoint.id,
    ...(isPublic ? { security: [] } : {
      security: [{ bearer: [] }],
      "x-scopes": access.scopes,
      ...(access.rule && { "x-ownership-rule": access.rule.ruleName }),
    }),
    ...(parameters.length > 0 && { parameters }),
    ...(endpoint.body && {
      requestBody: {
        required: true,
        ...(endpoint.body.description && { description: endpoint.body.description }),
        content: { "application/json": { schema: components.ref(endpoint.body, "input") } },
      },
    }),
    responses,
  };
}

/** Document-level texts. */
export interface DocumentInfo {
  version: string;
  description: string;
}

/**
 * The OpenAPI 3.1 document, built from the endpoint definitions alone: every operation
 * with its parameters one by one, its body and every status it answers, each body a
 * component schema.
 */
export function buildOpenApi(endpoints: readonly Endpoint[], info: DocumentInfo) {
  const components = new Components();
  const allPaths = endpoints.map((e) => openApiPath(e.path));
  const paths: Record<string, JsonObject> = {};
  for (const endpoint of endpoints) {
    if (!(endpoint.tag in TAGS)) throw new Error(`${endpoint.operationId}: unknown tag`);
    const where = placement(openApiPath(endpoint.path), allPaths);
    const item = paths[where.path] ??= where.server ? { servers: [{ url: where.server }] } : {};
    item[endpoint.method.toLowerCase()] = operationOf(endpoint, components);
  }
  const usedTags = new Set(endpoints.map((e) => e.tag));
  return {
    openapi: "3.1.0",
    info: {
      title: "OCARIoT platform API",
      version: info.version,
      description: info.description,
    },
    servers: [{ url: "/", description: "This service" }],
    tags: Object.entries(TAGS).filter(([name]) => usedTags.has(name))
      .map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "The `access_token` from `POST /v1/auth`, valid for one day.",
        },
      },
      schemas: components.schemas,
    },
    paths,
  };
}
