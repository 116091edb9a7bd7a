import { assertEquals, assertTrue } from "../../test/assert.ts";
import { loadEnv } from "../env.ts";
import { DataCipher, generateDataKey, importDataKey, loadOrCreateDataKey } from "./secrets.ts";
import { addMonths, fixedZone, ianaZone, localDate, toInstant, UTC } from "./timezone.ts";

const MADRID = ianaZone("Europe/Madrid")!;

Deno.test("time zones: local times become instants in the child's zone, across DST", () => {
  assertEquals(toInstant("2020-07-01T10:00:00.000", MADRID), Date.parse("2020-07-01T08:00:00Z"));
  assertEquals(toInstant("2020-12-01T10:00:00", MADRID), Date.parse("2020-12-01T09:00:00Z"));
  // Skipped hour (spring forward) resolves forward; a written offset wins over the zone.
  assertEquals(toInstant("2020-03-29T02:30:00", MADRID), Date.parse("2020-03-29T01:30:00Z"));
  assertEquals(toInstant("2020-10-25T02:30:00", MADRID), Date.parse("2020-10-25T00:30:00Z"));
  assertEquals(
    toInstant("2020-09-01T10:00:00.000-03:00", MADRID),
    Date.parse("2020-09-01T13:00:00Z"),
  );
  assertEquals(toInstant("not a date", UTC), undefined);
  assertEquals(localDate(Date.parse("2020-09-01T23:30:00Z"), MADRID), "2020-09-02");
  assertEquals(localDate(Date.parse("2020-09-01T01:30:00Z"), fixedZone(-10_800_000)), "2020-08-31");
  assertEquals(ianaZone("Not/AZone"), undefined);
  assertEquals([addMonths("2020-08-31", -1), addMonths("2020-03-31", -1)], [
    "2020-07-31",
    "2020-02-29",
  ]);
});

Deno.test("sealing: round trip, bound to its context, fresh IV each time", async () => {
  const cipher = new DataCipher(await importDataKey(generateDataKey()));
  const sealed = await cipher.seal("secret", "tokens:fitbit:a");
  assertEquals(await cipher.open(sealed, "tokens:fitbit:a"), "secret");
  assertTrue(sealed !== await cipher.seal("secret", "tokens:fitbit:a"));
  let refused = false;
  await cipher.open(sealed, "tokens:fitbit:b").catch(() => refused = true);
  assertTrue(refused);
});

Deno.test("data key: generated once in DATA_DIR/keys and shared by instances starting together", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/keys/data.key`;
    const [a, b] = await Promise.all([
      loadOrCreateDataKey(undefined, path),
      loadOrCreateDataKey(undefined, path),
    ]);
    const sealed = await new DataCipher(a).seal("x", "c");
    assertEquals(await new DataCipher(b).open(sealed, "c"), "x");
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    let invalid = "";
    try {
      loadEnv({ DATA_ENCRYPTION_KEY: "c2hvcnQ=" });
    } catch (error) {
      invalid = (error as Error).message;
    }
    assertEquals(
      invalid,
      "Invalid configuration: DATA_ENCRYPTION_KEY must be the base64 encoding of 32 bytes",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
