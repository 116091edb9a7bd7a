import { createFileOnce } from "../core/files.ts";
import { decodeBase64, encodeBase64 } from "../core/encoding.ts";

/** Length of the data key: AES-256. */
const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = "v1";

/**
 * Seals secrets at rest (provider tokens, PKCE verifiers) with AES-256-GCM from Web
 * Crypto. Each value gets a fresh random IV, and is bound to `context` (additional
 * authenticated data: e.g. the provider and child it belongs to), so a sealed value
 * copied onto another row does not open.
 */
export class DataCipher {
  constructor(private readonly key: CryptoKey) {}

  /** `v1.<base64(iv ‖ ciphertext ‖ tag)>`. */
  async seal(plaintext: string, context: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
        this.key,
        new TextEncoder().encode(plaintext),
      ),
    );
    const out = new Uint8Array(IV_BYTES + sealed.length);
    out.set(iv);
    out.set(sealed, IV_BYTES);
    return `${FORMAT}.${encodeBase64(out)}`;
  }

  /** Opens a sealed value; throws when it was altered or sealed for another context. */
  async open(sealed: string, context: string): Promise<string> {
    const [format, body] = sealed.split(".");
    if (format !== FORMAT || !body) throw new Error("unknown sealed value format");
    const bytes = decodeBase64(body);
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: bytes.slice(0, IV_BYTES),
        additionalData: new TextEncoder().encode(context),
      },
      this.key,
      bytes.slice(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  }
}

/** Thrown when DATA_ENCRYPTION_KEY or the key file does not hold a 32-byte base64 key. */
export class DataKeyError extends Error {}

/** Imports a base64 AES-256 key. */
export async function importDataKey(base64: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = decodeBase64(base64.trim());
  } catch {
    throw new DataKeyError("the data encryption key is not valid base64");
  }
  if (raw.length !== KEY_BYTES) {
    throw new DataKeyError(`the data encryption key must be ${KEY_BYTES} bytes (base64)`);
  }
  return await crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
}

/** A new random key, base64. */
export function generateDataKey(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

/**
 * The data key: DATA_ENCRYPTION_KEY when set, otherwise the key file, generated on first
 * start. The file is created exclusively (as the JWT key is), so several instances
 * starting together agree on whichever key was written first.
 */
export async function loadOrCreateDataKey(
  configured: string | undefined,
  path: string,
): Promise<CryptoKey> {
  if (configured) return await importDataKey(configured);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    text = await createFileOnce(path, generateDataKey());
  }
  return await importDataKey(text);
}
