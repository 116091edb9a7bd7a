import fc from "fast-check";
import { type Endpoint, pathParameterNames } from "../../src/api/endpoint.ts";
import { anyText, builtInName, dateText, hugeText, malformedId, unknownId } from "./values.ts";
import type { PropertyWorld } from "./world.ts";

/**
 * Paths for an endpoint: each parameter is most often a valid value of the world (so the
 * request reaches the route's own code) and otherwise another record's id, an unknown or
 * malformed id, a built-in name, huge or exotic text, or an encoding trick.
 */

/** A path segment as it goes into the URL (already percent-encoded where needed). */
const encoded = (text: string) => encodeURIComponent(text.toWellFormed());

/** Segments written raw: encoded slashes and dots, bad percent escapes, invalid UTF-8. */
const encodingTricks = fc.constantFrom(
  "%2F",
  "a%2Fb",
  "..%2F..%2Fv1%2Fchildren",
  "%2e%2e",
  "%2E",
  "%5C",
  "%00",
  "%",
  "%zz",
  "%E0%A4%A",
  "%ED%A0%80",
  "%FF%FE",
  "%C0%AF",
  "%252F",
  "%20",
  "+",
  ";x=1",
  "a;b",
  "~",
  "*",
);

/** The hostile value of one parameter. */
function hostileSegment(name: string): fc.Arbitrary<string> {
  const choices = [
    unknownId,
    malformedId.map(encoded),
    builtInName,
    anyText.map(encoded),
    hugeText(2_000, 30_000).map(encoded),
    encodingTricks,
  ];
  if (name.startsWith("date")) choices.push(dateText.map(encoded));
  return fc.oneof(...choices);
}

/** Every valid value the world has for a parameter name (the first is its own). */
function validValues(name: string, world: PropertyWorld): string[] {
  const own = world.params[name];
  const values = [...(own !== undefined ? [own] : []), ...(world.alternatives[name] ?? [])];
  return values.length > 0 ? [...new Set(values)] : world.ids;
}

/** One parameter: the world's value (3 times in 5), another world id, or a hostile value. */
function segment(name: string, world: PropertyWorld): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...validValues(name, world)).map(encoded) },
    { weight: 2, arbitrary: fc.constantFrom(...world.ids) },
    { weight: 6, arbitrary: hostileSegment(name) },
  );
}

/** The path of an endpoint with each parameter filled in. */
export function pathArbitrary(endpoint: Endpoint, world: PropertyWorld): fc.Arbitrary<string> {
  const names = pathParameterNames(endpoint.path);
  if (names.length === 0) return fc.constant(endpoint.path);
  return fc.tuple(...names.map((name) => segment(name, world))).map((values) =>
    endpoint.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => values[names.indexOf(name)])
  );
}
