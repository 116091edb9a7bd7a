/**
 * The legacy Fitbit shutdown in the fake Fitbit (google-health.md §4.5, §7.1): with `gone` on,
 * data, introspect, token, revoke and authorize all answer 410 Gone (and are logged); off, the
 * same calls behave as before. Switchable per test, in process or over `/__fake/gone`.
 */
import { assertEquals } from "../assert.ts";
import { FakeFitbit } from "../fake-fitbit/server.ts";

const basic = `Basic ${btoa("23ABCD:fake-secret")}`;

const calls: {
  name: string;
  request: (fake: FakeFitbit, tokens: { access_token: string; refresh_token: string }) => Request;
  normal: number;
}[] = [
  {
    name: "data",
    request: (f, t) =>
      new Request(
        `${f.url}/1/user/-/activities/list.json?beforeDate=2026-09-02&sort=desc&offset=0&limit=100`,
        {
          headers: { Authorization: `Bearer ${t.access_token}` },
        },
      ),
    normal: 200,
  },
  {
    name: "introspect",
    request: (f, t) =>
      new Request(`${f.url}/1.1/oauth2/introspect`, {
        method: "POST",
        headers: { Authorization: `Bearer ${t.access_token}` },
        body: new URLSearchParams({ token: t.access_token }),
      }),
    normal: 200,
  },
  {
    name: "token (refresh)",
    request: (f, t) =>
      new Request(`${f.url}/oauth2/token`, {
        method: "POST",
        headers: { Authorization: basic },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refresh_token }),
      }),
    normal: 200,
  },
  {
    name: "revoke",
    request: (f, t) =>
      new Request(`${f.url}/oauth2/revoke`, {
        method: "POST",
        headers: { Authorization: basic },
        body: new URLSearchParams({ token: t.access_token }),
      }),
    normal: 200,
  },
  {
    name: "authorize",
    request: (f) =>
      new Request(
        `${f.url}/oauth2/authorize?client_id=23ABCD&response_type=code&redirect_uri=http://127.0.0.1:9/cb`,
        {
          redirect: "manual",
        },
      ),
    normal: 302,
  },
];

for (const c of calls) {
  for (const gone of [true, false]) {
    Deno.test(`fake Fitbit ${c.name} with gone=${gone}: ${gone ? 410 : c.normal}`, async () => {
      const fake = await FakeFitbit.start();
      try {
        const user = fake.addUser();
        const tokens = await fake.grant({ userId: user.id });
        fake.gone = gone;
        const res = await fetch(c.request(fake, tokens));
        const text = await res.text();
        assertEquals(res.status, gone ? 410 : c.normal);
        if (gone) {
          assertEquals(JSON.parse(text), {
            errors: [{
              errorType: "gone",
              message: "The legacy Fitbit Web API has been turned off.",
            }],
            success: false,
          });
          assertEquals(fake.requests.map((r) => r.status), [410], "logged");
        }
      } finally {
        await fake.close();
      }
    });
  }
}

Deno.test("fake Fitbit: PUT /__fake/gone switches the shutdown on and off", async () => {
  const fake = await FakeFitbit.start();
  try {
    const user = fake.addUser();
    const tokens = await fake.grant({ userId: user.id });
    const refresh = async () => {
      const res = await fetch(`${fake.url}/oauth2/token`, {
        method: "POST",
        headers: { Authorization: basic },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token,
        }),
      });
      await res.body?.cancel();
      return res.status;
    };
    const set = async (gone: boolean) => {
      const res = await fetch(`${fake.url}/__fake/gone`, {
        method: "PUT",
        body: JSON.stringify({ gone }),
      });
      return (await res.json()).gone;
    };
    assertEquals(await set(true), true);
    assertEquals(await refresh(), 410);
    assertEquals(await set(false), false);
    assertEquals(await refresh(), 200, "the grant survived the outage");
  } finally {
    await fake.close();
  }
});
