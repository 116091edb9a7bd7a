import assert from "node:assert/strict";

/** Deep, strict equality (key order ignored, types compared). */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  assert.deepStrictEqual(actual, expected, message);
}

/** A truthy condition. */
export function assertTrue(condition: unknown, message?: string): asserts condition {
  assert.ok(condition, message);
}

/** A string matching a pattern. */
export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  assert.match(actual, pattern, message);
}
