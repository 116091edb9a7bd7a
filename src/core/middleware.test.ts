import { Hono } from "hono";
import "../auth/auth.context.ts";
import { assertEquals, assertMatch } from "../../test/assert.ts";
import type { AppEnv } from "./context.ts";
import { createLogger, type LogOutput } from "./log.ts";
import { cors, requestLog, securityHeaders } from "./middleware.ts";

// The global middleware sets its headers on the answer in place; an answer whose headers
// cannot change (a fetched or redirect response) still gets every one, on a copy.

function app(lines: string[]) {
  const output: LogOutput = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
  return new Hono<AppEnv>()
    .use(requestLog(createLogger("info", output)))
    .use(securityHeaders())
    .use(cors())
    .get("/json", (c) => c.json({ ok: true }, 201, { "X-Own": "kept" }))
    .get("/immutable", () => Response.redirect("http://example.test/elsewhere", 302))
    .get("/raw", () => new Response("text", { status: 200 }));
}

for (const path of ["/json", "/immutable", "/raw"]) {
  Deno.test(`middleware: every header on the answer, its own kept (${path})`, async () => {
    const lines: string[] = [];
    const res = await app(lines).request(path);
    await res.body?.cancel();
    assertEquals(res.headers.get("X-Frame-Options"), "SAMEORIGIN");
    assertEquals(res.headers.get("X-XSS-Protection"), "1; mode=block");
    assertEquals(res.headers.get("Access-Control-Allow-Origin"), "*");
    assertEquals(res.headers.get("Access-Control-Allow-Credentials"), "true");
    const requestId = res.headers.get("X-Request-Id") ?? "";
    assertMatch(requestId, /^[0-9a-f-]{36}$/);
    if (path === "/json") assertEquals(res.headers.get("X-Own"), "kept");
    if (path === "/immutable") {
      assertEquals(res.headers.get("Location"), "http://example.test/elsewhere");
    }
    const line = JSON.parse(lines[0]);
    assertEquals(
      [line.msg, line.request_id, line.method, line.path, line.status],
      ["request", requestId, "GET", path, res.status],
    );
  });
}
