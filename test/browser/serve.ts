/**
 * The real app on a real HTTP listener on loopback, for a browser to reach, and signing in
 * through the app's own login route.
 */
import type { TestApp } from "../harness.ts";
import { serveLoopback } from "../loopback.ts";

/** A listening app: its base URL (`http://127.0.0.1:<port>`) and how to stop it. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Serves a test app (see `startTestApp`) on 127.0.0.1, on a free port. */
export function serveTestApp(t: TestApp): Promise<ServedApp> {
  const { server, url } = serveLoopback(t.app.fetch);
  return Promise.resolve({ url, close: () => server.shutdown() });
}

/** Logs in through `POST /v1/auth` and returns the access token; throws on any other answer. */
export async function signIn(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/v1/auth`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  if (res.status !== 200) {
    throw new Error(`login as ${username}: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.access_token as string;
}
