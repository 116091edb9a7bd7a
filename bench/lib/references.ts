/**
 * References measured inside the bench process itself: the raw `@libsql/client` insert
 * rate (what storage costs with nothing around it) and the bare KDF rate (what a login
 * cannot beat).
 */
import { createClient } from "@libsql/client";
import { Buffer } from "node:buffer";
import { scrypt } from "node:crypto";
import { hashPassword } from "../../src/auth/passwords.ts";
import { HEART_RATE, LEVELS } from "./fixture.ts";

const INSERT = `INSERT INTO physical_activities (id, child_id, start_time, end_time, duration,
  name, calories, steps, distance, levels, heart_rate, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

let rawSequence = 0;

/**
 * Rows per second the bare driver stores into the same table of the same file: one
 * `execute` per row, 1,000 rows per transaction, for about `seconds`.
 */
export async function rawDriverRate(dbFile: string, seconds: number): Promise<number> {
  const open = async () => {
    const client = createClient({ url: `file:${dbFile}` });
    await client.execute("PRAGMA busy_timeout = 10000");
    await client.execute("PRAGMA synchronous = NORMAL");
    return client;
  };
  let client = await open();
  /**
   * BEGIN IMMEDIATE, waiting while the service finishes its last writes. After a BUSY the
   * stock client leaves the failed statement unreset (a later COMMIT would fail), so the
   * connection is replaced.
   */
  const begin = async () => {
    for (let tries = 0;; tries++) {
      try {
        await client.execute("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if (tries > 300 || !/SQLITE_BUSY/.test(String(error))) throw error;
        client.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        client = await open();
      }
    }
  };
  try {
    await begin();
    await client.execute("COMMIT");
    const started = performance.now();
    let rows = 0;
    const childId = "ra" + "0".repeat(22);
    while (performance.now() - started < seconds * 1000) {
      await begin();
      for (let i = 0; i < 1000; i++) {
        const n = rawSequence++;
        const start = 1_600_000_000_000 + n * 60_000;
        await client.execute({
          sql: INSERT,
          args: [
            `ra${n.toString(16).padStart(22, "0")}`,
            childId,
            start,
            start + 1_800_000,
            1_800_000,
            "Walk",
            123,
            2100,
            1600.5,
            LEVELS,
            HEART_RATE,
            Date.now(),
          ],
        });
      }
      await client.execute("COMMIT");
      rows += 1000;
    }
    return rows / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

const KDF_PASSWORD = "kdf-reference-pass";

/**
 * Bare scrypt checks per second with `concurrency` at once, with the parameters the
 * service's own hashes carry (read from a hash it makes), without anything around them.
 */
export async function kdfRate(concurrency: number, seconds: number): Promise<number> {
  const [, n, r, p, salt, hash] = (await hashPassword(KDF_PASSWORD)).split("$");
  const options = { N: +n, r: +r, p: +p, maxmem: 256 * 1024 * 1024 };
  const saltBytes = Buffer.from(salt, "base64");
  const length = Buffer.from(hash, "base64").length;
  const check = () =>
    new Promise<void>((resolve, reject) =>
      scrypt(KDF_PASSWORD, saltBytes, length, options, (error) => error ? reject(error) : resolve())
    );
  const started = performance.now();
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() - started < seconds * 1000) {
      await check();
      done++;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}
