/**
 * What the measured requests need: users created through the service's own API (an
 * institution, an educator with a group, children, an application) and, for the list
 * rows, physical activities seeded directly with SQL in large transactions — realistic
 * rows (levels and heart-rate zones as a wearable sends them) of many children, the
 * measured child's rows spread evenly through the table.
 */
import { createClient } from "@libsql/client";
import { call } from "./http.ts";

export const PASSWORD = "bench-pass-1";

/** Calls the service's API as a client would; throws on an unexpected status. */
export async function api<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await call(url, method, path, token, body);
  if (res.status >= 300) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return (res.body ?? {}) as T;
}

/** A token from `POST /v1/auth`. */
export async function login(url: string, username: string, password = PASSWORD) {
  const { access_token } = await api<{ access_token: string }>(url, "POST", "/v1/auth", undefined, {
    username,
    password,
  });
  return access_token;
}

/** The users of one service instance, created through its API. */
export interface Fixture {
  educatorId: string;
  educatorUsername: string;
  educatorToken: string;
  applicationToken: string;
  /** The child in the educator's group (its rows are the ones read and listed). */
  childId: string;
  /** Further children (bulk ingest targets), in the same group. */
  otherChildIds: string[];
}

/** Creates the fixture as the admin (whose password the service was started with). */
export async function createFixture(
  url: string,
  adminPassword: string,
  extraChildren = 0,
): Promise<Fixture> {
  const admin = await login(url, "admin", adminPassword);
  const tag = crypto.randomUUID().slice(0, 8);
  const institution = await api(url, "POST", "/v1/institutions", admin, {
    type: "School",
    name: `Bench school ${tag}`,
  });
  const educatorUsername = `bench-educator-${tag}`;
  const educator = await api(url, "POST", "/v1/educators", admin, {
    username: educatorUsername,
    password: PASSWORD,
    institution_id: institution.id,
  });
  const child = async (n: number) =>
    (await api(url, "POST", "/v1/children", admin, {
      username: `bench-child-${tag}-${n}`,
      password: PASSWORD,
      institution_id: institution.id,
      gender: n % 2 ? "female" : "male",
      age: 10,
      age_calc_date: "2024-09-01",
    })).id as string;
  const childIds: string[] = [];
  for (let n = 0; n <= extraChildren; n++) childIds.push(await child(n));
  const applicationUsername = `bench-app-${tag}`;
  await api(url, "POST", "/v1/applications", admin, {
    username: applicationUsername,
    password: PASSWORD,
    application_name: "Bench uploader",
    institution_id: institution.id,
  });
  const educatorToken = await login(url, educatorUsername);
  await api(url, "POST", `/v1/educators/${educator.id}/children/groups`, educatorToken, {
    name: "Class 4A",
    school_class: "4A",
    children: childIds,
  });
  return {
    educatorId: educator.id as string,
    educatorUsername,
    educatorToken,
    applicationToken: await login(url, applicationUsername),
    childId: childIds[0],
    otherChildIds: childIds.slice(1),
  };
}

/** An activity's levels as a wearable sends them (stored JSON; the raw-driver reference too). */
export const LEVELS =
  '[{"name":"sedentary","duration":300000},{"name":"lightly","duration":360000},{"name":"fairly","duration":420000},{"name":"very","duration":480000}]';
/** Its heart-rate zones, likewise. */
export const HEART_RATE =
  '{"average":97,"out_of_range_zone":{"min":30,"max":91,"duration":600000},"fat_burn_zone":{"min":91,"max":127,"duration":900000},"cardio_zone":{"min":127,"max":154,"duration":240000},"peak_zone":{"min":154,"max":220,"duration":60000}}';
/** 2020-01-01T00:00:00Z: seeded instants start here, one hour apart per child. */
const T0 = 1_577_836_800_000;
const CHUNK = 100_000;

/**
 * Seeds `rows` physical activities, `perChild` per child: child 0 is `childId`, the others
 * are filler children inserted as users too. Row i belongs to child i mod (rows/perChild),
 * so every child's rows are spread through the whole table. Returns the seconds it took.
 */
export async function seedActivities(
  dbFile: string,
  options: { rows: number; perChild: number; childId: string },
): Promise<number> {
  const started = performance.now();
  const children = Math.max(1, Math.floor(options.rows / options.perChild));
  const client = createClient({ url: `file:${dbFile}` });
  try {
    await client.execute("PRAGMA busy_timeout = 10000");
    // Filler children: ids f1… (hex, never produced by the service's id generator).
    await client.execute({
      sql: `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
        INSERT INTO users (id, type, username, password_hash, created_at, gender, age,
          age_calc_date, fitbit_status)
        SELECT printf('f1%022x', k), 'child', printf('filler-%d', k), 'x', ?, 'male', '10',
          '2024-09-01', 'none' FROM n`,
      args: [children - 1, T0],
    });
    const childOf = `CASE WHEN i % ${children} = 0 THEN '${options.childId}'
      ELSE printf('f1%022x', i % ${children}) END`;
    for (let from = 0; from < options.rows; from += CHUNK) {
      const to = Math.min(options.rows, from + CHUNK) - 1;
      await client.batch([{
        sql: `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
          INSERT INTO physical_activities (id, child_id, start_time, end_time, duration, name,
            calories, steps, distance, levels, heart_rate, created_at)
          SELECT printf('5e%022x', i), ${childOf},
            ? + (i / ${children}) * 3600000, ? + (i / ${children}) * 3600000 + 1800000,
            1800000, 'Walk', 100 + i % 50, 2000 + i % 500, 1500.5, ?, ?, ? + i * 1000
          FROM n`,
        args: [from, to, T0, T0, LEVELS, HEART_RATE, T0],
      }], "write");
    }
  } finally {
    client.close();
  }
  return (performance.now() - started) / 1000;
}

/** The id of one seeded row of the measured child (a record for the one-record read). */
export async function someActivityOf(dbFile: string, childId: string): Promise<string> {
  const client = createClient({ url: `file:${dbFile}` });
  try {
    const { rows } = await client.execute({
      sql:
        "SELECT id FROM physical_activities WHERE child_id = ? ORDER BY start_time LIMIT 1 OFFSET 3",
      args: [childId],
    });
    return String(rows[0].id);
  } finally {
    client.close();
  }
}
