import { bodySchema, type Endpoint, responsesOf } from "../src/api/endpoint.ts";
import { ENDPOINTS } from "../src/domains.ts";

/**
 * Checks every answer a test receives against the endpoint's definition: the status must
 * be one it documents, and a JSON body must parse with the documented schema (strict
 * objects: no undocumented key). So the reference cannot drift from the behaviour.
 */

const patterns = ENDPOINTS.map((endpoint) => ({
  endpoint,
  regex: new RegExp(
    `^${
      endpoint.path.replace(/:\w+(\{([^}]*)\})?/g, (_, __, custom) => `(${custom ?? "[^/]+"})`)
    }/?$`,
  ),
}));

/** The endpoint that answers a method and path, as the router picks it (first match). */
export function endpointFor(method: string, path: string): Endpoint | undefined {
  const wanted = method === "HEAD" ? "GET" : method;
  const pathname = new URL(path, "http://local").pathname;
  return patterns.find(({ endpoint, regex }) => endpoint.method === wanted && regex.test(pathname))
    ?.endpoint;
}

const INTERNAL_ERROR = { code: 500, message: "An internal server error has occurred." };

/** Throws when the answer is not what the endpoint documents. */
export async function assertDocumented(
  method: string,
  path: string,
  response: Response,
): Promise<void> {
  const endpoint = endpointFor(method, path);
  if (!endpoint || method === "HEAD" || Object.keys(endpoint.responses).length === 0) return;
  const where = `${method} ${path} (${endpoint.operationId}) answered ${response.status}`;
  const doc = responsesOf(endpoint)[response.status];
  // A 500 documents nothing about the endpoint: tests that break the database on purpose
  // may see it, with the contract's internal-error envelope and nothing else.
  if (!doc && response.status === 500) {
    const body = await response.clone().json();
    if (JSON.stringify(body) === JSON.stringify(INTERNAL_ERROR)) return;
  }
  if (!doc) throw new Error(`${where}: a status its definition does not document`);
  const text = await response.clone().text();
  if (doc.media) {
    const type = response.headers.get("Content-Type") ?? "";
    if (doc.media !== "*/*" && !type.startsWith(doc.media)) {
      throw new Error(`${where}: documented as ${doc.media}, sent ${type}`);
    }
    return;
  }
  const schema = bodySchema(doc);
  if (!schema) {
    if (text !== "") throw new Error(`${where}: documented without a body, got ${text}`);
    return;
  }
  const result = schema.safeParse(JSON.parse(text));
  if (!result.success) {
    throw new Error(
      `${where}: the body does not match its documented schema: ${
        JSON.stringify(result.error.issues.slice(0, 3))
      }\n${text.slice(0, 500)}`,
    );
  }
}
