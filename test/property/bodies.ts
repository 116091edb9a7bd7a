import fc from "fast-check";
import { z } from "zod";
import type { Endpoint } from "../../src/api/endpoint.ts";
import { type Hint, type JsonSchema, valueOf } from "./json-schema.ts";
import { builtInName, hostileText, unknownId } from "./values.ts";
import type { PropertyWorld } from "./world.ts";

/**
 * Request bodies for an endpoint. Bodies of endpoints that read one start valid-shaped
 * (from the definition's schema through `z.toJSONSchema`, with the world's ids and names)
 * and are then mutated: wrong types, `null`, missing and extra fields, `__proto__` and
 * other built-in keys, deep nesting, large arrays, huge strings, numbers JSON cannot hold.
 * Besides: malformed JSON, top-level primitives, invalid UTF-8, bodies over the limit and
 * wrong content types. Endpoints without a body get one now and then (it must not matter).
 */

/** A body as sent: the bytes, and the Content-Type header (undefined: none). */
export interface BodyCase {
  content?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
}

/** JSON text spliced in as is (numbers JSON cannot represent, deep nesting, big arrays). */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value; own `__proto__` keys and `RawJson` parts are written as they are. */
function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record).map((key) =>
      `${JSON.stringify(key)}:${serialize(record[key])}`
    );
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

// ---------------------------------------------------------------------------
// Valid-shaped values.

const jwtLike = fc.stringMatching(
  /^[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{8,80}\.[A-Za-z0-9_-]{8,40}$/,
);

/** World values by field name: ids that exist, accounts' names and password, Fitbit tokens. */
function worldHint(world: PropertyWorld): Hint {
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...world.ids) },
    { weight: 1, arbitrary: unknownId },
  );
  const child = fc.oneof(
    { weight: 4, arbitrary: fc.constant(world.params.child_id) },
    { weight: 1, arbitrary: id },
  );
  const text = fc.string({ minLength: 1, maxLength: 12 });
  const hints: Record<string, (schema: JsonSchema) => fc.Arbitrary<unknown>> = {
    username: () =>
      fc.oneof(fc.constantFrom(...world.usernames), fc.stringMatching(/^[a-z][a-z0-9]{2,11}$/)),
    password: () => fc.oneof(fc.constant(world.password), text),
    old_password: () => fc.oneof(fc.constant(world.password), text),
    new_password: () => fc.oneof(fc.constant(world.password), text),
    institution_id: () =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(world.params.institution_id) },
        { weight: 1, arbitrary: id },
      ),
    children: (schema) =>
      fc.array(fc.oneof(child, child.map((value) => ({ id: value }))), {
        minLength: schema.minItems ?? 0,
        maxLength: 3,
      }),
    access_token: () =>
      fc.oneof(fc.constantFrom(...world.fitbitTokens.map((t) => t.access_token)), jwtLike, text),
    refresh_token: () =>
      fc.oneof(fc.constantFrom(...world.fitbitTokens.map((t) => t.refresh_token)), text),
  };
  return (name, schema) => {
    if (Object.hasOwn(hints, name)) return hints[name](schema);
    if (typeof schema.pattern === "string" && schema.pattern.includes("{24}")) return id;
    return undefined;
  };
}

/** Valid-shaped values of an endpoint's body schema (as a client would write them). */
function validBody(endpoint: Endpoint, world: PropertyWorld): fc.Arbitrary<unknown> {
  const schema = z.toJSONSchema(endpoint.body!.schema, { io: "input", unrepresentable: "any" });
  return valueOf(schema as JsonSchema, worldHint(world));
}

// ---------------------------------------------------------------------------
// Mutations.

/** Where a value sits: its container and key (none for the whole body). */
interface Slot {
  parent?: Record<string, unknown> | unknown[];
  key?: string | number;
  value: unknown;
}

function slotsOf(root: unknown): Slot[] {
  const slots: Slot[] = [{ value: root }];
  for (let i = 0; i < slots.length; i++) {
    const { value } = slots[i];
    if (value instanceof RawJson || value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      value.forEach((v, key) => slots.push({ parent: value, key, value: v }));
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        slots.push({ parent: record, key, value: record[key] });
      }
    }
  }
  return slots;
}

/** Sets an own property, even one named `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const NUMBERS_JSON_CANNOT_HOLD = [
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "123456789012345678901234567890",
  "9007199254740993",
  "0.1e1",
  "1E2",
];

const EXTRA_KEYS = [
  "id",
  "child_id",
  "institution_id",
  "created_at",
  "type",
  "sub_type",
  "scope",
  "role",
  "admin",
  "password",
  "fitbit_status",
  "last_login",
];

type Mutation =
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "drop"; at: number }
  | { kind: "extra"; at: number; key: string; value: unknown }
  | { kind: "nest"; at: number; depth: number; open: "[" | "{" }
  | { kind: "grow"; at: number; count: number };

const smallJson = fc.jsonValue({ maxDepth: 2 });

/** An object whose own keys are built-in names (`{"toString": 1}`), alone or in an array. */
const builtInObject = fc.tuple(
  fc.uniqueArray(builtInName, { minLength: 1, maxLength: 3 }),
  smallJson,
)
  .chain(([keys, value]) => {
    const object: Record<string, unknown> = {};
    for (const key of keys) setOwn(object, key, value);
    return fc.constantFrom(object, [object]);
  });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.constant(null),
      smallJson,
      hostileText,
      builtInObject,
      fc.constantFrom(...NUMBERS_JSON_CANNOT_HOLD).map((text) => new RawJson(text)),
      fc.constantFrom([], {}, "", 0, true, [null], [{}]),
    ),
  }),
  fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("extra" as const),
    at: fc.nat(),
    key: fc.oneof(builtInName, fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 8 })),
    value: fc.oneof(smallJson, fc.constant({ admin: true, polluted: "yes" })),
  }),
  fc.record({
    kind: fc.constant("nest" as const),
    at: fc.nat(),
    // Around the 64 levels the body reader allows, and far beyond.
    depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(1_000, 10_000, 40_000)),
    open: fc.constantFrom("[" as const, "{" as const),
  }),
  fc.record({
    kind: fc.constant("grow" as const),
    at: fc.nat(),
    count: fc.integer({ min: 20, max: 3_000 }),
  }),
);

/** The value that replaces a slot's value, for mutations that replace. */
function replacement(m: Mutation, value: unknown): unknown {
  switch (m.kind) {
    case "replace":
      return fresh(m.value);
    case "nest": {
      const [open, close] = m.open === "[" ? ["[", "]"] : ['{"a":', "}"];
      return new RawJson(open.repeat(m.depth) + serialize(value) + close.repeat(m.depth));
    }
    case "grow": {
      // Up to a few times the body limit: enough to cross it, never more.
      const item = serialize(value);
      const count = Math.max(1, Math.min(m.count, Math.floor(400_000 / (item.length + 1))));
      return new RawJson(`[${new Array(count).fill(item).join(",")}]`);
    }
    default:
      return value;
  }
}

/** A copy of a generated value (fast-check may hand the same constant to many cases). */
const fresh = (value: unknown) => value instanceof RawJson ? value : structuredClone(value);

/** Applies mutations in turn; `undefined` means the body was dropped whole. */
function mutate(value: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(value);
  for (const m of mutations) {
    if (root === undefined) break;
    const slots = slotsOf(root);
    const slot = slots[m.at % slots.length];
    if (m.kind === "extra") {
      // Added to the nearest object: the slot's own value, else its container, else a new root.
      const target = [slot.value, slot.parent].find((v) =>
        v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof RawJson)
      ) as Record<string, unknown> | undefined;
      if (target) setOwn(target, m.key, fresh(m.value));
      else root = { value: root, [m.key]: fresh(m.value) };
      continue;
    }
    if (m.kind === "drop") {
      if (slot.parent === undefined) root = undefined;
      else if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      continue;
    }
    const next = replacement(m, slot.value);
    if (slot.parent === undefined) root = next;
    else if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = next;
    else setOwn(slot.parent, slot.key as string, next);
  }
  return root;
}

// ---------------------------------------------------------------------------
// Whole bodies.

/** Bodies that are not JSON, or not the JSON a route reads. */
const malformed: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    "}",
    "[",
    '{"a":}',
    "{'a':1}",
    "{a:1}",
    "[1,]",
    '{"a":1,}',
    "NaN",
    "undefined",
    "\uFEFF{}",
    '{"a":1}garbage',
    '"unterminated',
    "null",
    "true",
    "0",
    '"text"',
    "[]",
    "[null]",
    "{}",
    '{"":1}',
    '{"a":1,"a":2}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '[{"__proto__":null}]',
    "\u0000",
    "{\u0000}",
  ),
  fc.constantFrom(40_000, 60_000).map((n) => "[".repeat(n)),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => new Uint8Array([0xff, ...bytes])),
  fc.constant(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
);

/** Content types besides `application/json`. */
const oddContentType = fc.constantFrom(
  undefined,
  "",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "APPLICATION/JSON",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/jsonx",
  "application/merge-patch+json",
  "application/json, text/html",
  "*/*",
  "application/octet-stream",
  "text/json",
);

/** A valid-shaped value written form-encoded (strings as they are, the rest as JSON). */
function formEncoded(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return serialize(value);
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    form.append(key, typeof field === "string" ? field : serialize(field));
  }
  return form.toString();
}

const JSON_TYPE = "application/json";

/** The body arbitrary of an endpoint that reads one. */
function bodiesOf(endpoint: Endpoint, world: PropertyWorld): fc.Arbitrary<BodyCase> {
  const valid = validBody(endpoint, world);
  const mutated = fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map((
    [value, mutations],
  ) => mutate(value, mutations));
  const asJson = (value: unknown): BodyCase =>
    value === undefined
      ? { contentType: JSON_TYPE }
      : { content: serialize(value), contentType: JSON_TYPE };
  return fc.oneof(
    { weight: 5, arbitrary: valid.map(asJson) },
    { weight: 9, arbitrary: mutated.map(asJson) },
    { weight: 3, arbitrary: malformed.map((content) => ({ content, contentType: JSON_TYPE })) },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, oddContentType).map(([value, contentType]) => ({
        content: serialize(value),
        contentType,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(undefined, "application/x-www-form-urlencoded"))
        .map(([value, contentType]) => ({ content: formEncoded(value), contentType })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100_000, max: 300_000 }).map((size) => ({
        content: `{"a":"${"x".repeat(size)}"}`,
        contentType: JSON_TYPE,
      })),
    },
  );
}

/** Bodies for an endpoint: its own kind when it reads one, otherwise mostly none. */
export function bodyArbitrary(endpoint: Endpoint, world: PropertyWorld): fc.Arbitrary<BodyCase> {
  if (endpoint.body) return bodiesOf(endpoint, world);
  if (endpoint.method === "GET") return fc.constant({});
  const stray = fc.oneof(
    smallJson.map((value) => ({ content: serialize(value), contentType: JSON_TYPE })),
    malformed.map((content) => ({ content, contentType: JSON_TYPE })),
    fc.constant({ content: '{"__proto__":{"admin":true}}', contentType: JSON_TYPE }),
  );
  return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: stray });
}
