import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { assertEquals } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import type { AppEnv } from "./context.ts";
import { rateLimit } from "./rate-limit.ts";

const t = await startTestApp();
const message = "Synchronization limit per hour exceeded for child. Please try again later...";

function limitedApp(max: number, windowMs = 3_600_000) {
  return new Hono<AppEnv>().post(
    "/sync/:id",
    rateLimit({
      db: t.db,
      now: t.clock.now,
      windowMs,
      max,
      key: (c) => c.req.param("id") ?? "",
      message,
    }),
    // `?status=400` answers that status instead of 200 (a request the route rejects).
    (c) => c.json({ ok: true }, Number(c.req.query("status") ?? 200) as 200),
  );
}

async function windowRows(key: string) {
  return await t.db.all(sql`SELECT hits FROM rate_limit_windows WHERE key = ${key}`);
}

Deno.test("rate limit: allows `max` requests per key and window, then answers 429 with headers", async () => {
  const app = limitedApp(3);
  const resetAt = String(Math.ceil((t.clock.now() + 3_600_000) / 1000));
  for (let i = 1; i <= 3; i++) {
    const res = await app.request("/sync/a", { method: "POST" });
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("X-RateLimit-Limit"), "3");
    assertEquals(res.headers.get("X-RateLimit-Remaining"), String(3 - i));
    assertEquals(res.headers.get("X-RateLimit-Reset"), resetAt);
  }
  const refused = await app.request("/sync/a", { method: "POST" });
  assertEquals(refused.status, 429);
  assertEquals(await refused.json(), { code: 429, message });
  assertEquals(refused.headers.get("Retry-After"), "3600");
  assertEquals(refused.headers.get("X-RateLimit-Remaining"), "0");
  const otherKey = await app.request("/sync/b", { method: "POST" });
  assertEquals(otherKey.status, 200);
});

Deno.test("rate limit: the window is fixed and restarts after it ends", async () => {
  const app = limitedApp(1, 60_000);
  assertEquals((await app.request("/sync/c", { method: "POST" })).status, 200);
  assertEquals((await app.request("/sync/c", { method: "POST" })).status, 429);
  t.clock.advance(60_001);
  assertEquals((await app.request("/sync/c", { method: "POST" })).status, 200);
});

Deno.test("rate limit: counts are shared through the database by separate middleware instances", async () => {
  const first = limitedApp(2), second = limitedApp(2);
  assertEquals((await first.request("/sync/d", { method: "POST" })).status, 200);
  assertEquals((await second.request("/sync/d", { method: "POST" })).status, 200);
  assertEquals((await first.request("/sync/d", { method: "POST" })).status, 429);
});

Deno.test("rate limit: a rejected request counts for nothing and leaves no counter behind", async () => {
  const app = limitedApp(2);
  for (let i = 0; i < 5; i++) {
    assertEquals((await app.request("/sync/f?status=400", { method: "POST" })).status, 400);
  }
  assertEquals(await windowRows("f"), []);
  assertEquals((await app.request("/sync/f", { method: "POST" })).status, 200);
  assertEquals((await app.request("/sync/f?status=404", { method: "POST" })).status, 404);
  assertEquals((await app.request("/sync/f", { method: "POST" })).status, 200);
  assertEquals(await windowRows("f"), [{ hits: 2 }]);
});

Deno.test("rate limit: the limit's own 429 counts for nothing either", async () => {
  const app = limitedApp(1);
  assertEquals((await app.request("/sync/g", { method: "POST" })).status, 200);
  for (let i = 0; i < 3; i++) {
    assertEquals((await app.request("/sync/g", { method: "POST" })).status, 429);
  }
  assertEquals(await windowRows("g"), [{ hits: 1 }]);
});

Deno.test("rate limit: a max of 0 disables it", async () => {
  const app = limitedApp(0);
  for (let i = 0; i < 5; i++) {
    assertEquals((await app.request("/sync/e", { method: "POST" })).status, 200);
  }
});

Deno.test("(close the test database)", () => t.close());
