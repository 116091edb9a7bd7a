/**
 * The real app on a real HTTP listener on loopback, for a browser to reach, and signing in
 * through the app's own login route.
 */
import type { TestApp } from "../harness.ts";
import { serveLoopback } from "../loopback.ts";
import { login } from "../service-process.ts";

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
export function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  return login(`${baseUrl}/v1`, username, password);
}
