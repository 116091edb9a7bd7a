import type { z } from "zod";
import { type ApiError, errors } from "../errors.ts";
import { type ContractIssue, contractIssueOf } from "./rules.ts";

/** How a validated object turns its collected issues into one error. */
export interface ReportOptions {
  /** The error for absent required fields (default: `Required fields were not provided...`). */
  missing?: (names: string[]) => ApiError;
  /** The error for `noted` fields, reported after `missing`. */
  noted?: (names: string[]) => ApiError;
}

const groups = new WeakMap<object, ReportOptions>();

/**
 * Marks a nested object (or array) whose issues are settled on their own, as the
 * contract's nested validators do: their missing fields become one error thrown at
 * the nested field's position, and the outer object's collected fields are then
 * not reported (tracking.md §1.6). Issues on the nested field itself (e.g. it is
 * absent: `location are required!`) stay with the enclosing object.
 */
export function group<S extends z.ZodType>(schema: S, options: ReportOptions = {}): S {
  groups.set(schema, options);
  return schema;
}

interface Entry {
  path: PropertyKey[];
  order: number[];
  groupsOnPath: { depth: number; options: ReportOptions }[];
  issue: ContractIssue;
}

/**
 * Turns zod issues into the single contract error the original would have answered:
 * read-phase failures first, then the first invalid step in field order, then the
 * collected missing fields, then the noted ones.
 */
export function toApiError(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  options: ReportOptions = {},
): ApiError {
  const entries = issues.map((issue) => entryOf(schema, issue));
  entries.sort((a, b) => compareOrder(a.order, b.order));
  const read = entries.find((e) => e.issue.kind === "invalid" && e.issue.read);
  if (read && read.issue.kind === "invalid") return read.issue.error;
  return settle(entries, 0, options) ?? errors.invalidFields("The request is invalid.");
}

function settle(entries: Entry[], depth: number, options: ReportOptions): ApiError | undefined {
  const missing: string[] = [];
  const noted: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    // A group settles what is inside it; an issue on the group's own node (the nested
    // object absent, or not an object at all) belongs to the enclosing object.
    const nested = entry.groupsOnPath.find((g) => g.depth > depth && g.depth < entry.path.length);
    if (nested) {
      const prefix = entry.path.slice(0, nested.depth);
      let end = i;
      while (end < entries.length && startsWith(entries[end].path, prefix)) end++;
      const error = settle(entries.slice(i, end), nested.depth, nested.options);
      if (error) return error;
      i = end - 1;
      continue;
    }
    const issue = entry.issue;
    if (issue.kind === "invalid") return issue.error;
    (issue.kind === "missing" ? missing : noted).push(issue.name);
  }
  if (missing.length) return (options.missing ?? errors.requiredFields)(missing);
  if (noted.length) return (options.noted ?? errors.requiredFields)(noted);
  return undefined;
}

function entryOf(root: z.ZodType, issue: z.core.$ZodIssue): Entry {
  const order: number[] = [];
  const groupsOnPath: Entry["groupsOnPath"] = [];
  let schema: unknown = root;
  issue.path.forEach((segment, index) => {
    const step = childOf(schema, segment);
    order.push(step.index);
    schema = step.schema;
    const options = groupOptionsOf(schema);
    if (options) groupsOnPath.push({ depth: index + 1, options });
  });
  return {
    path: issue.path,
    order,
    groupsOnPath,
    issue: contractIssueOf(issue) ?? fallback(issue),
  };
}

/** Issues raised by plain zod types, not by contract rules. */
function fallback(issue: z.core.$ZodIssue): ContractIssue {
  if (issue.path.length === 0) return { kind: "invalid", error: errors.malformedBody() };
  return { kind: "invalid", error: errors.invalidFields(`${issue.path.join(".")} is invalid!`) };
}

function childOf(schema: unknown, segment: PropertyKey): { schema: unknown; index: number } {
  const s = unwrap(schema);
  const def = (s as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (def?.type === "object") {
    const shape = def.shape as Record<string, unknown>;
    const keys = Object.keys(shape);
    const index = keys.indexOf(String(segment));
    return { schema: shape[String(segment)], index: index < 0 ? keys.length : index };
  }
  if (def?.type === "array" && typeof segment === "number") {
    return { schema: def.element, index: segment };
  }
  return {
    schema: undefined,
    index: typeof segment === "number" ? segment : Number.MAX_SAFE_INTEGER,
  };
}

/** The group options of a schema or of any wrapper layer around it. */
function groupOptionsOf(schema: unknown): ReportOptions | undefined {
  let found: ReportOptions | undefined;
  unwrap(schema, (layer) => {
    found ??= groups.get(layer as object);
  });
  return found;
}

function unwrap(schema: unknown, visit?: (layer: unknown) => void): unknown {
  let s = schema;
  for (let guard = 0; guard < 10; guard++) {
    if (s && typeof s === "object") visit?.(s);
    const def = (s as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return s;
    if (
      ["optional", "nullable", "default", "readonly", "nonoptional", "catch"].includes(
        def.type as string,
      )
    ) {
      s = def.innerType;
    } else if (def.type === "pipe") {
      const input = def.in as { _zod?: { def?: { type?: string } } };
      s = input?._zod?.def?.type === "unknown" || input?._zod?.def?.type === "transform"
        ? def.out
        : def.in;
    } else {
      return s;
    }
  }
  return s;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

function startsWith(path: PropertyKey[], prefix: PropertyKey[]): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}
