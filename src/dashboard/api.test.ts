/**
 * The in-process API client passes on what the API needs to treat a dashboard call like
 * the browser's own: the origin, the connection info (client address), client headers,
 * and the session's token; and a refused token ends the session.
 */
import { Hono } from "hono";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { Api, SessionEnded } from "./api.ts";

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  env: unknown;
}

/** A page route calling a recording "API" that answers `status`. */
function harness(status = 200, token = "tok") {
  const seen: Seen[] = [];
  const api = {
    async fetch(request: Request, env?: unknown) {
      seen.push({
        url: request.url,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
        env,
      });
      return Response.json({ code: status, message: "answer" }, { status });
    },
  };
  const page = new Hono().post("/app/x", async (c) => {
    try {
      const answer = await new Api(api, c, token).call("POST", "/v1/things", {
        query: { page: 2, skip: undefined },
        body: { name: "n" },
      });
      return c.json(answer.body);
    } catch (error) {
      return c.text(error instanceof SessionEnded ? "ended" : "other", 500);
    }
  });
  return { page, seen };
}

const CONN_INFO = { remoteAddr: { transport: "tcp", hostname: "203.0.113.9", port: 51234 } };

Deno.test("api: same origin, the connection info as env, client headers, the bearer token", async () => {
  const { page, seen } = harness();
  const res = await page.request("https://school.example/app/x", {
    method: "POST",
    headers: {
      "User-Agent": "Phone browser",
      "X-Forwarded-For": "198.51.100.7",
      Cookie: "ocariot_session=secret",
      Authorization: "Bearer from-the-browser",
    },
  }, CONN_INFO);
  assertEquals(res.status, 200);
  assertEquals(seen.length, 1);
  const call = seen[0];
  assertEquals(call.url, "https://school.example/v1/things?page=2");
  assertEquals(call.method, "POST");
  assertEquals(call.env, CONN_INFO);
  assertEquals(call.headers["authorization"], "Bearer tok");
  assertEquals(call.headers["user-agent"], "Phone browser");
  assertEquals(call.headers["x-forwarded-for"], "198.51.100.7");
  assertEquals(call.headers["content-type"], "application/json");
  assertEquals(call.headers["cookie"], undefined, "cookies stay with the dashboard");
  assertEquals(JSON.parse(call.body), { name: "n" });
});

Deno.test("api: a 401 on a call with a token ends the session", async () => {
  const { page } = harness(401);
  const res = await page.request("http://x/app/x", { method: "POST" });
  assertEquals(await res.text(), "ended");
});

Deno.test("api: other refusals are answers, for the page to show", async () => {
  for (const status of [400, 403, 404, 409, 429, 503]) {
    const { page } = harness(status);
    const res = await page.request("http://x/app/x", { method: "POST" });
    assertEquals(res.status, 200);
    assertTrue((await res.json()).code === status);
  }
});
