import { ofetch } from "ofetch";
import { ApiError, errors } from "../../../core/errors.ts";
import { Status } from "../../../core/status.ts";
import { decodeBase64, encodeBase64Url, sha256Base64Url } from "../../../core/encoding.ts";
import { isRecord } from "../../../core/validation/rules.ts";

/**
 * Google Health push notifications (google-health.md §5): the `Authorization` secret is
 * checked first (before the body is even read), then, when a keyset is configured, the
 * ECDSA P-256 / SHA-256 signature over the raw body; then the body is read as a
 * verification probe or as one or more notifications.
 */

/** Settings of the receiver. */
export interface WebhookConfig {
  /** The registered `Authorization` value; unset: every notification is refused. */
  secret?: string;
  /** Google's public keyset (Tink JSON); unset: signatures are not checked. */
  keysetUrl?: string;
  timeoutMs: number;
  now: () => number;
}

/** What a verified request asks for. */
export type WebhookMessage =
  | { kind: "verification" }
  | { kind: "notifications"; items: { healthUserId: string; digest: string }[] };

const SIGNATURE_HEADERS = ["GOOGLE-HEALTH-API-SIGNATURE", "X-HEALTHAPI-SIGNATURE"];

/** The keyset is re-read after a day; a stale copy serves for up to a week if Google is down. */
const KEYSET_FRESH_MS = 24 * 3_600_000;
const KEYSET_STALE_MS = 7 * 24 * 3_600_000;

const unauthorized = () =>
  new ApiError(Status.UNAUTHORIZED, "UNAUTHORIZED", "The notification carries no credentials.");
const forbidden = (what: string) =>
  new ApiError(Status.FORBIDDEN, "FORBIDDEN", `The notification ${what} is not valid.`);

/** Verifies and reads notifications. One per process (it caches the keyset). */
export class NotificationReceiver {
  private keys?: { byId: Map<number, CryptoKey>; all: CryptoKey[]; readAt: number };

  constructor(private readonly config: WebhookConfig) {}

  /** The secret check alone (run before the body is read); throws 401/403. */
  async authorize(authorization: string | undefined): Promise<void> {
    if (authorization === undefined || authorization === "") throw unauthorized();
    if (!this.config.secret || !await sameText(authorization, this.config.secret)) {
      throw forbidden("secret");
    }
  }

  /** Signature (when configured), then the body; throws 403, 400 or 503. */
  async read(headers: Headers, raw: Uint8Array): Promise<WebhookMessage> {
    if (this.config.keysetUrl) {
      const header = SIGNATURE_HEADERS.map((name) => headers.get(name)).find((v) => v);
      if (!header || !await this.verify(header, raw)) throw forbidden("signature");
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch {
      throw errors.malformedBody();
    }
    if (isRecord(body) && body.type === "verification") return { kind: "verification" };
    const entries = Array.isArray(body) ? body : [body];
    const items = [];
    for (const entry of entries) {
      const data = isRecord(entry) && isRecord(entry.data) ? entry.data : undefined;
      const id = data?.healthUserId;
      if (typeof id !== "string" || id === "") continue;
      items.push({ healthUserId: id, digest: await sha256Base64Url(JSON.stringify(data)) });
    }
    return { kind: "notifications", items };
  }

  private async verify(header: string, raw: Uint8Array): Promise<boolean> {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(header.trim());
    } catch {
      return false;
    }
    const keys = await this.keyset();
    // Tink's prefix: 0x01 and the 4-byte key id; without it, any enabled key may match.
    const prefixed = bytes.length > 5 && bytes[0] === 1;
    const keyId = prefixed ? new DataView(bytes.buffer, bytes.byteOffset + 1, 4).getUint32(0) : -1;
    const candidates = prefixed ? [keys.byId.get(keyId)].filter((k) => k !== undefined) : keys.all;
    const signature = derToRaw(prefixed ? bytes.subarray(5) : bytes);
    if (!signature) return false;
    for (const key of candidates) {
      const valid = await crypto.subtle.verify(
        { name: "ECDSA", hash: "SHA-256" },
        key,
        signature as Uint8Array<ArrayBuffer>,
        raw as Uint8Array<ArrayBuffer>,
      );
      if (valid) return true;
    }
    return false;
  }

  /** The enabled keys of Google's keyset, cached (fresh for a day, stale for a week). */
  private async keyset() {
    const now = this.config.now();
    if (this.keys && now - this.keys.readAt < KEYSET_FRESH_MS) return this.keys;
    try {
      const json = await ofetch(this.config.keysetUrl!, {
        timeout: this.config.timeoutMs,
        retry: 1,
        responseType: "json",
      });
      this.keys = { ...await importKeyset(json), readAt: now };
    } catch {
      if (!this.keys || now - this.keys.readAt > KEYSET_STALE_MS) {
        throw new ApiError(
          Status.SERVICE_UNAVAILABLE,
          "The notification signing keys could not be read.",
          "Please try again later.",
        );
      }
    }
    return this.keys!;
  }
}

/** Compares two texts in constant time (by their digests). */
async function sameText(a: string, b: string): Promise<boolean> {
  const digest = async (text: string) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/**
 * A Tink ECDSA public keyset → Web Crypto keys by key id. Each enabled key's `keyData.value`
 * is a protobuf EcdsaPublicKey whose fields 3 and 4 are the point's x and y.
 */
export async function importKeyset(json: unknown) {
  const byId = new Map<number, CryptoKey>();
  const list = isRecord(json) && Array.isArray(json.key) ? json.key.filter(isRecord) : [];
  for (const entry of list) {
    if (entry.status !== undefined && entry.status !== "ENABLED") continue;
    const value = isRecord(entry.keyData) ? entry.keyData.value : undefined;
    if (typeof value !== "string" || typeof entry.keyId !== "number") continue;
    const fields = protobufFields(decodeBase64(value));
    const x = fields.get(3), y = fields.get(4);
    if (!x || !y) continue;
    const key = await crypto.subtle.importKey(
      "jwk",
      {
        kty: "EC",
        crv: "P-256",
        x: encodeBase64Url(toLength(x, 32)),
        y: encodeBase64Url(toLength(y, 32)),
        ext: true,
      },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    byId.set(entry.keyId >>> 0, key);
  }
  return { byId, all: [...byId.values()] };
}

/** The length-delimited fields of a protobuf message, by field number (varints skipped). */
function protobufFields(bytes: Uint8Array): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let at = 0;
  const varint = () => {
    let value = 0, shift = 0;
    for (;;) {
      if (at >= bytes.length) throw new Error("truncated protobuf");
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    const wire = tag & 7, field = Math.floor(tag / 8);
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      fields.set(field, bytes.subarray(at, at + length));
      at += length;
    } else if (wire === 5) at += 4;
    else if (wire === 1) at += 8;
    else throw new Error("unsupported protobuf wire type");
  }
  return fields;
}

/** A big-endian unsigned integer as exactly `length` bytes (leading zeros dropped or added). */
function toLength(bytes: Uint8Array, length: number): Uint8Array {
  let start = 0;
  while (bytes.length - start > length && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const out = new Uint8Array(length);
  out.set(
    trimmed.subarray(Math.max(0, trimmed.length - length)),
    Math.max(0, length - trimmed.length),
  );
  return out;
}

/** A DER ECDSA signature (SEQUENCE of INTEGER r, s) → raw r‖s (64 bytes), or undefined. */
export function derToRaw(der: Uint8Array): Uint8Array | undefined {
  let at = 0;
  const length = () => {
    let n = der[at++];
    if (n & 0x80) {
      const bytes = n & 0x7f;
      n = 0;
      for (let i = 0; i < bytes; i++) n = n * 256 + der[at++];
    }
    return n;
  };
  if (der[at++] !== 0x30) return undefined;
  length();
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 2; i++) {
    if (der[at++] !== 0x02) return undefined;
    const n = length();
    if (n === 0 || at + n > der.length) return undefined;
    parts.push(toLength(der.subarray(at, at + n), 32));
    at += n;
  }
  const raw = new Uint8Array(64);
  raw.set(parts[0]);
  raw.set(parts[1], 32);
  return raw;
}
