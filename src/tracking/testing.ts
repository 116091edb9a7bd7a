import { assertEquals, assertMatch } from "../../test/assert.ts";
import type { TestApp } from "../../test/harness.ts";

/**
 * Shared fixtures of the tracking tests: valid bodies (taken from the peer suite's
 * mocks) and a request helper returning the status and the parsed body.
 */

/** A valid physical activity with levels and heart rate. */
export function activityBody(start = "2018-12-14T12:52:59.123Z", durationMs = 1_178_000) {
  const end = new Date(Date.parse(start) + durationMs).toISOString();
  return {
    name: "Walk",
    start_time: start,
    end_time: end,
    duration: durationMs,
    calories: 109,
    steps: 1407,
    distance: 1020.5,
    levels: [
      { name: "sedentary", duration: 60000 },
      { name: "lightly", duration: 600000 },
      { name: "fairly", duration: 300000 },
      { name: "very", duration: 218000 },
    ],
    heart_rate: {
      average: 107,
      out_of_range_zone: { min: 30, max: 91, duration: 0 },
      fat_burn_zone: { min: 91, max: 127, duration: 10000 },
      cardio_zone: { min: 127, max: 154, duration: 0 },
      peak_zone: { min: 154, max: 220, duration: 0 },
    },
  };
}

/** A valid classic sleep record (6 stages, 20 minutes). */
export function sleepBody(start = "2018-08-18T01:40:30.000Z") {
  const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60000).toISOString();
  return {
    start_time: start,
    end_time: at(20),
    duration: 1_200_000,
    type: "classic",
    pattern: {
      data_set: [
        { start_time: at(0), name: "restless", duration: 60000 },
        { start_time: at(1), name: "asleep", duration: 360000 },
        { start_time: at(7), name: "awake", duration: 240000 },
        { start_time: at(11), name: "asleep", duration: 360000 },
        { start_time: at(17), name: "restless", duration: 60000 },
        { start_time: at(18), name: "awake", duration: 240000 },
      ],
    },
  };
}

/** A valid weight (optionally with a body fat). */
export function weightBody(timestamp = "2019-06-20T14:40:00Z", bodyFat?: number) {
  return {
    timestamp,
    value: 70.2,
    unit: "kg",
    ...(bodyFat !== undefined && { body_fat: bodyFat }),
  };
}

/** A valid body fat. */
export function bodyFatBody(timestamp = "2019-06-18T03:00:45.123Z", value = 21.5) {
  return { timestamp, value };
}

/** A valid environment reading. */
export function environmentBody(timestamp = "2019-11-19T14:40:00Z", room = "Room 40") {
  return {
    timestamp,
    location: { local: "indoor", room, latitude: "-7.2100766", longitude: "-35.9175756" },
    measurements: [
      { type: "temperature", value: 35.6, unit: "°C" },
      { type: "humidity", value: 42.2, unit: "%" },
    ],
    climatized: true,
  };
}

/** A fresh instant each call, so repeated fixture bodies never collide (409). */
let tick = Date.UTC(2019, 0, 1);
export function nextInstant(): string {
  tick += 3_600_000;
  return new Date(tick).toISOString();
}

/** One request's outcome. */
export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Headers;
}

/** Sends a request through the app and reads the JSON body (undefined when empty). */
export async function send(
  t: TestApp,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer> {
  const res = await t.request(method, path, { token, body });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? undefined : JSON.parse(text),
    headers: res.headers,
  };
}

/** A resource body without its generated id, after checking that the id is 24-hex. */
// deno-lint-ignore no-explicit-any
export function withoutId(resource: any): Record<string, unknown> {
  assertMatch(resource.id, /^[0-9a-f]{24}$/);
  const { id: _, ...rest } = resource;
  return rest;
}

/** Asserts the status, then the exact body. */
export function assertAnswer(answer: Answer, status: number, body: unknown, label?: string) {
  assertEquals(answer.status, status, label);
  assertEquals(answer.body, body, label);
}
