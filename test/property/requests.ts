import fc from "fast-check";
import type { Endpoint } from "../../src/api/endpoint.ts";
import { bodyArbitrary } from "./bodies.ts";
import { headersArbitrary } from "./headers.ts";
import { pathArbitrary } from "./paths.ts";
import { queryArbitrary } from "./queries.ts";
import { callersOf, type PropertyWorld } from "./world.ts";

/** One hostile request, concrete: what is sent, and as whom. */
export interface HostileRequest {
  caller: string;
  method: string;
  /** Path and query string, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * Hostile requests for one endpoint, derived from its definition: as admin, as a child
 * and, for routes neither may call, as a user type that may (`callersOf`).
 */
export function requestArbitrary(
  endpoint: Endpoint,
  world: PropertyWorld,
): fc.Arbitrary<HostileRequest> {
  const path = pathArbitrary(endpoint, world);
  const query = queryArbitrary(endpoint);
  const body = bodyArbitrary(endpoint, world);
  return fc.constantFrom(...callersOf(endpoint)).chain((caller) =>
    fc.record({ path, query, body, headers: headersArbitrary(caller, world) }).map((parts) => {
      const headers = { ...parts.headers };
      if (parts.body.contentType !== undefined) headers["Content-Type"] = parts.body.contentType;
      const request: HostileRequest = {
        caller,
        method: endpoint.method,
        url: `${parts.path}${parts.query}`,
        headers,
        body: parts.body.content,
      };
      // fast-check prints counterexamples with this (bodies can be 300 KB).
      Object.defineProperty(request, fc.toStringMethod, { value: () => describe(request) });
      return request;
    })
  );
}

/** A short, printable form of a request (bodies cut), for failure messages. */
export function describe(request: HostileRequest): string {
  const body = request.body === undefined
    ? ""
    : typeof request.body === "string"
    ? ` body(${request.body.length}): ${JSON.stringify(request.body.slice(0, 300))}`
    : ` body(${request.body.length} bytes)`;
  const headers = Object.entries(request.headers).map(([name, value]) =>
    `${name}: ${value.length > 80 ? `${value.slice(0, 80)}…(${value.length})` : value}`
  );
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url;
  return `${request.method} ${url} as ${request.caller} [${headers.join("; ")}]${body}`;
}
