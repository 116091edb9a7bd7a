import { assertEquals } from "./assert.ts";
import { startTestApp } from "./harness.ts";

// Several instances share one database file (WAL + busy retries): interleaved writes,
// including transactions, all succeed and nothing is half-written.
const first = await startTestApp();
const second = await startTestApp({ DATABASE_URL: first.deps.config.DATABASE_URL });
const admin = await first.login("admin");

Deno.test("two instances on one database: concurrent creations and transactional deletions all succeed", async () => {
  const apps = [first, second];
  const creations = Array.from(
    { length: 40 },
    (_, i) =>
      apps[i % 2].request("POST", "/v1/institutions", {
        token: admin.token,
        body: { name: `Concurrent ${i}`, type: "School" },
      }),
  );
  const created = await Promise.all(creations);
  assertEquals(created.map((r) => r.status), Array(40).fill(201));
  const ids = await Promise.all(created.map(async (r) => (await r.json()).id as string));

  const deletions = ids.slice(0, 20).map((id, i) =>
    apps[(i + 1) % 2].request("DELETE", `/v1/institutions/${id}`, { token: admin.token })
  );
  const renames = ids.slice(20).map((id, i) =>
    apps[i % 2].request("PATCH", `/v1/institutions/${id}`, {
      token: admin.token,
      body: { type: "College" },
    })
  );
  const results = await Promise.all([...deletions, ...renames]);
  assertEquals(results.map((r) => r.status), [...Array(20).fill(204), ...Array(20).fill(200)]);
  await Promise.all(results.map((r) => r.body?.cancel()));

  const list = await second.request("GET", "/v1/institutions?type=College", { token: admin.token });
  assertEquals(list.headers.get("X-Total-Count"), "20");
  assertEquals((await list.json()).length, 20);
});

Deno.test("two instances on one database: a duplicate name raced from both gets one 201 and one 409", async () => {
  const [a, b] = await Promise.all(
    [first, second].map((t) =>
      t.request("POST", "/v1/institutions", {
        token: admin.token,
        body: { name: "Raced", type: "School" },
      })
    ),
  );
  assertEquals([a.status, b.status].sort(), [201, 409]);
  await Promise.all([a.body?.cancel(), b.body?.cancel()]);
});

Deno.test("(close the test databases)", async () => {
  await second.close();
  await first.close();
});
