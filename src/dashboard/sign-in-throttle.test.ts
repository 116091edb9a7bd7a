/**
 * The API's login throttling applies to the dashboard's sign-in, per real client: the
 * page passes the browser's connection info on, so failed sign-ins from one address are
 * counted against that address (and answered with the API's 429 on the form), while
 * another address still signs in.
 */
import { assertEquals, assertMatch } from "../../test/assert.ts";
import { DashboardClient, ORIGIN } from "../../test/dashboard/client.ts";
import { startTestApp } from "../../test/harness.ts";

const address = (hostname: string) => ({ remoteAddr: { transport: "tcp", hostname, port: 40000 } });
const LIMIT = 3;

const t = await startTestApp({
  LOGIN_RATE_LIMIT_PER_ADDRESS: String(LIMIT),
  LOGIN_RATE_LIMIT_PER_USERNAME: "0",
});
await t.createUser("admin", { username: "throttled-admin" });

Deno.test("sign-in throttling counts the real client address", async () => {
  const guesser = new DashboardClient(t, ORIGIN, address("203.0.113.5"));
  for (let attempt = 1; attempt <= LIMIT; attempt++) {
    assertEquals((await guesser.signIn("throttled-admin", "wrong")).status, 401, `${attempt}`);
  }
  // Past the limit even the right password is refused, with the API's answer on the form.
  const refused = await guesser.signIn("throttled-admin");
  assertEquals(refused.status, 429);
  assertMatch(refused.text, /role="alert">Too many login attempts\. Please try again later\.\.\./);
  assertEquals(guesser.cookies.has("ocariot_session"), false);
  // Another browser, another address: not held back by the first one's failures.
  const other = new DashboardClient(t, ORIGIN, address("198.51.100.8"));
  assertEquals((await other.signIn("throttled-admin")).status, 303);
});

Deno.test("(close the app)", async () => {
  await t.close();
});
