import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { ApiError } from "../core/errors.ts";
import { Status } from "../core/status.ts";

// scrypt is memory-hard: N=2^14, r=8 uses 16 MiB and ~50 ms of one core per hash.
const N = 16384, R = 8, P = 1, KEY_LENGTH = 32;

/**
 * At most this many hashes run at once, whatever the number of requests. Node's scrypt
 * runs each call on its own thread: 200 concurrent logins took 200 threads × 16 MiB and
 * every core, and stalled the rest of the service for seconds. One core is left to
 * serve everything else.
 */
export const KDF_CONCURRENCY = Math.max(1, Math.min(4, navigator.hardwareConcurrency - 1));

/**
 * Logins waiting for a hash slot beyond this many are refused at once (429) instead of
 * queueing for seconds; other hashes (creating a user, changing a password) always wait.
 */
export const LOGIN_QUEUE_LIMIT = 8 * KDF_CONCURRENCY;

/** A counting semaphore: work beyond `limit` waits its turn, first come, first served. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** How many are waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const slots = new Slots(KDF_CONCURRENCY);

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return slots.run(() =>
    new Promise((resolve, reject) =>
      scrypt(
        password,
        salt,
        KEY_LENGTH,
        { N: n, r, p, maxmem: 64 * 1024 * 1024 },
        (err, key) => err ? reject(err) : resolve(key),
      )
    )
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64 parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), +n, +r, +p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const DUMMY_HASH = hashPassword("timing-equaliser");

/** The answer to a login while the password checks are saturated. */
export const loginBusy = () =>
  new ApiError(Status.TOO_MANY_REQUESTS, "Too many login attempts. Please try again later...");

/**
 * The password check of a login. With no stored hash (no such user) the same work is done
 * against a dummy hash, so existing and unknown usernames take the same time and give the
 * same answer. Throws the 429 `loginBusy` when too many logins already wait for a slot
 * (decided before the username matters, so it reveals nothing either).
 */
export async function checkLoginPassword(
  password: string,
  stored: string | undefined,
): Promise<boolean> {
  if (slots.queued >= LOGIN_QUEUE_LIMIT) throw loginBusy();
  const matches = await verifyPassword(password, stored ?? await DUMMY_HASH);
  return stored !== undefined && matches;
}
