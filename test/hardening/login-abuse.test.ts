import { assertEquals, assertTrue } from "../assert.ts";
import { FIXTURE_PASSWORD, startTestApp, type TestApp } from "../harness.ts";
import { serveLoopback } from "../loopback.ts";
import { withApp } from "./world.ts";

/**
 * Issue 10, finding 7: failed logins are throttled per username and per client address
 * (429 envelope with Retry-After once over the limit, even with the right password;
 * successes never count; limits are settings and 0 disables them), answers are the same
 * for existing and unknown usernames, and a burst of concurrent wrong logins neither
 * stalls other routes nor grows memory (password hashing has bounded concurrency).
 */

const THROTTLED = { code: 429, message: "Too many login attempts. Please try again later..." };
const INVALID = { code: 401, message: "Invalid username or password!" };
const WINDOW_MS = 900_000;

/** A login from a socket peer address, as `Deno.serve` hands requests to the app. */
async function login(t: TestApp, username: string, password: string, address = "192.0.2.1") {
  const res = await t.app.request("/v1/auth", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  }, { remoteAddr: { hostname: address } });
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get("Retry-After") };
}

Deno.test("login throttle: after 10 failures for a username, 429 even with the right password; the same for an unknown username", async () => {
  await withApp({}, async (t) => {
    const user = await t.createUser("educator");
    const names = [user.username, "nobody-by-this-name"];
    const answers = names.map(() => [] as unknown[]);
    for (let attempt = 0; attempt < 10; attempt++) {
      for (const [i, name] of names.entries()) {
        const { status, body } = await login(t, name, "wrong", `192.0.2.${attempt + 10 * i}`);
        answers[i].push([status, body]);
      }
    }
    assertEquals(answers[0], Array(10).fill([401, INVALID]));
    assertEquals(answers[1], answers[0]);
    for (
      const [name, password] of [[user.username, FIXTURE_PASSWORD], ["nobody-by-this-name", "x"]]
    ) {
      const refused = await login(t, name, password, "198.51.100.1");
      assertEquals([refused.status, refused.body], [429, THROTTLED]);
      assertEquals(refused.retryAfter, String(WINDOW_MS / 1000));
    }
    // The window ends: the right password works again, and Retry-After counts down.
    t.clock.advance(WINDOW_MS - 60_000);
    assertEquals((await login(t, user.username, FIXTURE_PASSWORD)).retryAfter, "60");
    t.clock.advance(60_000);
    assertEquals((await login(t, user.username, FIXTURE_PASSWORD)).status, 200);
  });
});

Deno.test("login throttle: successful logins never count", async () => {
  await withApp({ LOGIN_RATE_LIMIT_PER_USERNAME: "3" }, async (t) => {
    const user = await t.createUser("family");
    const outcomes = [];
    // 2 failures, then 5 successes, then 1 failure: 3 failures in all, none refused.
    for (const password of ["a", "b", ...Array(5).fill(FIXTURE_PASSWORD), "c"]) {
      outcomes.push((await login(t, user.username, password)).status);
    }
    assertEquals(outcomes, [401, 401, 200, 200, 200, 200, 200, 401]);
    assertEquals((await login(t, user.username, FIXTURE_PASSWORD)).status, 429);
  });
});

Deno.test("login throttle: per client address, across usernames; other addresses unaffected", async () => {
  await withApp({ LOGIN_RATE_LIMIT_PER_ADDRESS: "3" }, async (t) => {
    const user = await t.createUser("educator");
    for (const name of ["u1", "u2", "u3"]) {
      assertEquals((await login(t, name, "x", "203.0.113.5")).status, 401);
    }
    const refused = await login(t, user.username, FIXTURE_PASSWORD, "203.0.113.5");
    assertEquals([refused.status, refused.body], [429, THROTTLED]);
    assertEquals((await login(t, user.username, FIXTURE_PASSWORD, "203.0.113.6")).status, 200);
  });
});

Deno.test("login throttle: behind a trusted proxy the forwarded address is the client", async () => {
  await withApp({ LOGIN_RATE_LIMIT_PER_ADDRESS: "2", TRUSTED_PROXIES: "10.0.0.1" }, async (t) => {
    const from = (client: string) =>
      t.app.request("/v1/auth", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Forwarded-For": client },
        body: JSON.stringify({ username: `user-${crypto.randomUUID()}`, password: "x" }),
      }, { remoteAddr: { hostname: "10.0.0.1" } });
    const statuses = [];
    for (const client of ["198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2"]) {
      statuses.push((await from(client)).status);
    }
    assertEquals(statuses, [401, 401, 429, 401]);
  });
});

const settings: [string, Record<string, string>][] = [
  ["LOGIN_RATE_LIMIT_PER_USERNAME=0 and _PER_ADDRESS=0", {
    LOGIN_RATE_LIMIT_PER_USERNAME: "0",
    LOGIN_RATE_LIMIT_PER_ADDRESS: "0",
  }],
  ["LOGIN_RATE_LIMIT_WINDOW_MS=0", { LOGIN_RATE_LIMIT_WINDOW_MS: "0" }],
];

for (const [name, env] of settings) {
  Deno.test(`login throttle: ${name} disables it`, async () => {
    await withApp(env, async (t) => {
      const user = await t.createUser("educator");
      for (let i = 0; i < 12; i++) assertEquals((await login(t, user.username, "x")).status, 401);
      assertEquals((await login(t, user.username, FIXTURE_PASSWORD)).status, 200);
    });
  });
}

Deno.test("login throttle: rejected bodies (400) count for nothing", async () => {
  await withApp({ LOGIN_RATE_LIMIT_PER_ADDRESS: "1" }, async (t) => {
    for (let i = 0; i < 5; i++) {
      const res = await t.app.request("/v1/auth", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "" }),
      }, { remoteAddr: { hostname: "192.0.2.9" } });
      assertEquals(res.status, 400);
    }
    assertEquals((await login(t, "someone", "x", "192.0.2.9")).status, 401);
  });
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

Deno.test("login burst: 200 concurrent wrong logins neither stall other routes nor grow memory", async () => {
  // The throttle is off, so only the bounded hashing protects the service here.
  const t = await startTestApp({
    LOGIN_RATE_LIMIT_PER_USERNAME: "0",
    LOGIN_RATE_LIMIT_PER_ADDRESS: "0",
  });
  const { server, url: base } = serveLoopback(t.app.fetch);
  try {
    const admin = await t.login("admin");
    const get = async () => {
      const started = performance.now();
      const res = await fetch(`${base}/v1/institutions`, {
        headers: { Authorization: `Bearer ${admin.token}` },
      });
      await res.body?.cancel();
      assertEquals(res.status, 200);
      return performance.now() - started;
    };
    const wrongLogin = (i: number) =>
      fetch(`${base}/v1/auth`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: `burst-${i}`, password: "wrong" }),
      }).then(async (res) => {
        await res.body?.cancel();
        return res.status;
      });

    // At rest: what an unrelated GET and one wrong login (one password hash) take.
    const idle = [];
    for (let i = 0; i < 10; i++) idle.push(await get());
    const oneHash = performance.now();
    await wrongLogin(-1);
    const hashMs = performance.now() - oneHash;

    const rssBefore = Deno.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss), 5);
    const burst = Promise.all(Array.from({ length: 200 }, (_, i) => wrongLogin(i)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await get());
    const statuses = await burst;
    clearInterval(sampler);

    // Every login got an answer: refused as invalid, or 429 while the hashing was saturated.
    assertEquals(statuses.filter((s) => s !== 401 && s !== 429), []);
    assertTrue(statuses.includes(401));
    // Relative bounds: the ten GETs during the burst take, in all, less than ten password
    // hashes more than at rest (unbounded, the first ones waited behind the whole burst).
    const slowdown = sum(during) - sum(idle);
    assertTrue(slowdown < 10 * hashMs, `GETs slowed by ${slowdown} ms; one hash: ${hashMs} ms`);
    // Unbounded, each concurrent hash held 16 MiB (3.2 GB for 200); bounded, a few.
    const grownMiB = (rssPeak - rssBefore) / 2 ** 20;
    assertTrue(grownMiB < 16 * 16, `memory grew by ${grownMiB} MiB during the burst`);
  } finally {
    await server.shutdown();
    await t.close();
  }
});
