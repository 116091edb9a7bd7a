import assert from "node:assert/strict";
import { assertEquals } from "../../test/assert.ts";
import { TestClock, testKeys } from "../../test/harness.ts";
import { ApiError, tokenErrors } from "../core/errors.ts";
import { TOKEN_LIFETIME_SECONDS, TokenService } from "./tokens.ts";

const ISSUER = "ocariot";

async function service(maxVerified?: number) {
  const clock = new TestClock(Date.UTC(2025, 0, 1));
  const tokens = new TokenService(await testKeys(), ISSUER, clock.now, maxVerified);
  return { clock, tokens };
}

/** The body a refused token gets. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.toBody();
  }
  assert.fail("the token was accepted");
}

Deno.test("a verified token is remembered and answers the same caller", async () => {
  const { tokens } = await service();
  const token = await tokens.issue({ id: "a".repeat(24), type: "educator" });
  const first = await tokens.verify(token);
  const second = await tokens.verify(token);
  assert.strictEqual(second, first);
  assertEquals(first.sub, "a".repeat(24));
  assertEquals(first.type, "educator");
  assertEquals(tokens.verifiedCount, 1);
});

Deno.test("a remembered token still expires on time, then is forgotten", async () => {
  const { clock, tokens } = await service();
  const token = await tokens.issue({ id: "b".repeat(24), type: "child" });
  await tokens.verify(token);
  clock.advance(TOKEN_LIFETIME_SECONDS * 1000 - 1000);
  await tokens.verify(token);
  clock.advance(1000);
  assertEquals(await refusal(tokens.verify(token)), tokenErrors.expired().toBody());
  assertEquals(tokens.verifiedCount, 0);
  assertEquals(await refusal(tokens.verify(token)), tokenErrors.expired().toBody());
});

Deno.test("refused tokens are never remembered", async (t) => {
  const { tokens } = await service();
  const other = new TokenService(await testKeys(), "someone-else");
  const good = await tokens.issue({ id: "c".repeat(24), type: "admin" });
  const [header, payload, signature] = good.split(".");
  const cases = {
    "wrong signature": `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    "wrong issuer": await other.issue({ id: "c".repeat(24), type: "admin" }),
    "not a token": "abc.def.ghi",
  };
  for (const [name, token] of Object.entries(cases)) {
    await t.step(name, async () => {
      for (let i = 0; i < 2; i++) {
        assertEquals(await refusal(tokens.verify(token)), tokenErrors.invalid().toBody());
      }
      assertEquals(tokens.verifiedCount, 0);
    });
  }
});

Deno.test("the memory is bounded: the oldest tokens are forgotten first", async () => {
  const { tokens } = await service(3);
  const issued = await Promise.all(
    ["1", "2", "3", "4", "5"].map((n) => tokens.issue({ id: n.repeat(24), type: "family" })),
  );
  for (const token of issued) await tokens.verify(token);
  assertEquals(tokens.verifiedCount, 3);
  // A forgotten token is verified again in full and still accepted.
  assertEquals((await tokens.verify(issued[0])).sub, "1".repeat(24));
  assertEquals(tokens.verifiedCount, 3);
});
