import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI } from "jose";
import type { CryptoKey } from "jose";
import { createFileOnce } from "../core/files.ts";

/** The RS256 key pair tokens are signed and verified with. */
export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * Loads the PEM key pair, generating it on first start when the private key file is
 * absent. The key files are created atomically and only once, so two instances starting
 * together end up sharing whichever pair was written first. Files created here are
 * owner-only (0600), in directories made 0700.
 */
export async function loadOrCreateKeys(
  privatePath: string,
  publicPath: string,
): Promise<SigningKeys> {
  let privatePem = await readIfExists(privatePath);
  if (privatePem === undefined) {
    const pair = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    privatePem = await createFileOnce(privatePath, await exportPKCS8(pair.privateKey));
  }
  const privateKey = await importPKCS8(privatePem, "RS256", { extractable: true });
  let publicPem = await readIfExists(publicPath);
  if (publicPem === undefined) {
    publicPem = await createFileOnce(
      publicPath,
      await exportSPKI(await publicFromPrivate(privateKey)),
      0o600,
    );
  }
  return { privateKey, publicKey: await importSPKI(publicPem, "RS256") };
}

async function publicFromPrivate(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const { kty, n, e } = jwk;
  return await crypto.subtle.importKey(
    "jwk",
    { kty, n, e, alg: "RS256", ext: true },
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    true,
    ["verify"],
  );
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
