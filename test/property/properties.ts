import { responsesOf } from "../../src/api/endpoint.ts";
import { errorBodySchema } from "../../src/core/errors.ts";
import { assertDocumented, endpointFor } from "../documented.ts";
import { describe, type HostileRequest } from "./requests.ts";
import type { PropertyWorld } from "./world.ts";

/**
 * The properties every hostile request must keep:
 * 1. no 5xx;
 * 2. the answer is what the endpoint documents (status and body schema, `assertDocumented`);
 * 3. every error answer is the contract's envelope, `code` equal to the status (pages a
 *    route documents as HTML, such as the Fitbit callback's, aside);
 * 4. a request answered 4xx changes nothing in the database (`DatabaseState`'s checksum).
 * Each case starts from the world's snapshot; a request that changed the database (a
 * successful write) is followed by a restore, so the next case starts from it again.
 */

/** Sends a request through the whole app (all middleware, the guard, onError). */
function send(world: PropertyWorld, request: HostileRequest): Promise<Response> {
  return Promise.resolve(world.t.app.request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  }));
}

/** Whether the endpoint answering the request documents this status as a non-JSON page. */
function documentedPage(request: HostileRequest, status: number): boolean {
  const endpoint = endpointFor(request.method, request.url);
  return endpoint !== undefined && responsesOf(endpoint)[status]?.media !== undefined;
}

/** Why an error answer is not the envelope, or undefined when it is. */
function envelopeProblem(response: Response, text: string): string | undefined {
  const type = response.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/json")) return `Content-Type ${type || "(none)"}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "a body that is not JSON";
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return `not the envelope: ${parsed.error.issues[0]?.message}`;
  if (parsed.data.code !== response.status) return `code ${parsed.data.code}`;
  return undefined;
}

/** Sends one request and checks the properties; throws what failed. Returns the status. */
export async function checkRequest(world: PropertyWorld, request: HostileRequest): Promise<number> {
  const { state } = world;
  const fail = (what: string, text = "") => {
    throw new Error(`${what}\n  request: ${describe(request)}\n  answer: ${text.slice(0, 500)}`);
  };
  if (await state.checksum() !== state.snapshotSum) {
    const changes = await state.differences();
    await state.restore();
    fail(`the database changed after the previous answer: ${changes.join("; ")}`);
  }
  const response = await send(world, request);
  const status = response.status;
  const documented = await assertDocumented(request.method, request.url, response).then(
    () => undefined,
    (error: Error) => error.message,
  );
  const text = await response.text();
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}`);
  if (documented) problems.push(`undocumented answer: ${documented}`);
  if (status >= 400 && !documentedPage(request, status)) {
    const problem = envelopeProblem(response, text);
    if (problem) problems.push(`error answer ${status} is not the envelope (${problem})`);
  }
  // Restored in every case, so that a failure does not spill into the next (or a shrink) run.
  if (await state.checksum() !== state.snapshotSum) {
    if (status >= 400) {
      problems.push(
        `rejected with ${status} but changed the database: ${
          (await state.differences()).join("; ")
        }`,
      );
    }
    await state.restore();
  }
  if (problems.length > 0) fail(problems.join("\n  "), text);
  return status;
}
