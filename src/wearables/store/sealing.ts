import type { TokenSet } from "../provider.ts";
import type { DataCipher } from "../secrets.ts";

/**
 * Sealed token pairs. The context binds a sealed pair to its provider and child, and is
 * the same on the connection and on a queued revocation, so a pair moves between the two
 * (the deletion cascade does so inside a transaction, without the key).
 */

const tokenContext = (provider: string, childId: string) => `tokens:${provider}:${childId}`;

/** Seals a token pair for storage. */
export async function sealTokens(
  cipher: DataCipher,
  provider: string,
  childId: string,
  tokens: TokenSet,
): Promise<string> {
  return await cipher.seal(
    JSON.stringify({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken }),
    tokenContext(provider, childId),
  );
}

/** The token set of a connection or revocation row. */
export async function openTokens(
  cipher: DataCipher,
  row: {
    provider: string;
    childId: string;
    tokens: string;
    expiresAt: number;
    scope?: string;
    externalUserId?: string;
    legacyUserId?: string | null;
  },
): Promise<TokenSet> {
  const pair = JSON.parse(await cipher.open(row.tokens, tokenContext(row.provider, row.childId)));
  return {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: row.expiresAt,
    scope: row.scope ?? "",
    externalUserId: row.externalUserId ?? "",
    ...(row.legacyUserId ? { legacyUserId: row.legacyUserId } : {}),
  };
}
