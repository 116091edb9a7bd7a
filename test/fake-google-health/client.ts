/**
 * A small Google-shaped HTTP client for the fake's own tests: the calls an adapter makes (form
 * posts to the token endpoint, bearer calls to the API), answering status, headers and the parsed
 * body (JSON when it parses, text otherwise).
 */
import { FakeGoogleHealth } from "./server.ts";
import { DEFAULT_CLIENT } from "./state.ts";

/** An answer: status, headers, and the body parsed as JSON when possible. */
export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** POSTs a form to an OAuth endpoint (token or revoke); client credentials added unless given. */
export async function postForm(
  url: string,
  form: Record<string, string>,
  options: { withClient?: boolean } = {},
): Promise<Answer> {
  const fields = options.withClient === false
    ? form
    : { client_id: DEFAULT_CLIENT.id, client_secret: DEFAULT_CLIENT.secret, ...form };
  return await answer(await fetch(url, { method: "POST", body: new URLSearchParams(fields) }));
}

/** Refreshes a grant at the fake's token endpoint. */
export function refresh(fake: FakeGoogleHealth, refreshToken: string, form = {}): Promise<Answer> {
  return postForm(fake.urls.token, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    ...form,
  });
}

/** A bearer call to the API (`path` under the base URL, e.g. `/v4/users/me/identity`). */
export async function api(
  fake: FakeGoogleHealth,
  token: string | undefined,
  path: string,
  init: { method?: string; json?: unknown; raw?: string; query?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, fake.url);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const body = init.raw ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return await answer(
    await fetch(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body }),
  );
}

/** `GET …/dataTypes/{type}/dataPoints` with query parameters. */
export function list(
  fake: FakeGoogleHealth,
  token: string,
  type: string,
  query: Record<string, string> = {},
): Promise<Answer> {
  return api(fake, token, `/v4/users/me/dataTypes/${type}/dataPoints`, { query });
}

/** Every page of a list, following `nextPageToken`: the points and the pages' sizes. */
export async function listAll(
  fake: FakeGoogleHealth,
  token: string,
  type: string,
  query: Record<string, string> = {},
): Promise<{ points: Record<string, unknown>[]; pages: number[] }> {
  const points: Record<string, unknown>[] = [];
  const pages: number[] = [];
  let pageToken: string | undefined;
  do {
    const res = await list(fake, token, type, { ...query, ...(pageToken && { pageToken }) });
    if (res.status !== 200) {
      throw new Error(`list ${type}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    points.push(...res.body.dataPoints);
    pages.push(res.body.dataPoints.length);
    pageToken = res.body.nextPageToken;
  } while (pageToken);
  return { points, pages };
}

/** `POST …/dataPoints:dailyRollUp` for whole days `[start, end)` (`YYYY-MM-DD`). */
export function rollUp(
  fake: FakeGoogleHealth,
  token: string,
  type: string,
  start: string,
  end: string,
  extra: Record<string, unknown> = {},
): Promise<Answer> {
  const civil = (day: string) => {
    const [year, month, date] = day.split("-").map(Number);
    return { date: { year, month, day: date } };
  };
  return api(fake, token, `/v4/users/me/dataTypes/${type}/dataPoints:dailyRollUp`, {
    json: { range: { start: civil(start), end: civil(end) }, ...extra },
  });
}

/** Registers a test that gets a fresh fake and closes it afterwards. */
export function testWithFake(
  name: string,
  fn: (fake: FakeGoogleHealth) => Promise<void> | void,
): void {
  Deno.test(name, async () => {
    const fake = await FakeGoogleHealth.start();
    try {
      await fn(fake);
    } finally {
      await fake.close();
    }
  });
}
