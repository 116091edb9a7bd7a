import type { ProviderId, PublicClientInfo } from "../provider.ts";

/** The OAuth 2.0 client parts every adapter shares: PKCE S256 code flow, FB1's answer. */

/** The platform's OAuth client at a provider. */
export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** True when both client credentials are set. */
export function hasCredentials(client: ClientCredentials): boolean {
  return Boolean(client.clientId && client.clientSecret);
}

/**
 * FB1's answer for a provider (never the secret), undefined when the client is not
 * configured: the consent page and scopes, PKCE S256, and FB6 for a platform-run flow.
 */
export function publicClientInfo(
  provider: ProviderId,
  client: ClientCredentials,
  authorizationUri: string,
  scope: string,
): PublicClientInfo | undefined {
  if (!hasCredentials(client)) return undefined;
  return {
    provider,
    client_id: client.clientId!,
    authorization_uri: authorizationUri,
    scope,
    code_challenge_method: "S256",
    platform_authorization: "/v1/users/{user_id}/fitbit/authorize",
  };
}

/** The consent URL's last parameters: the single-use state and the PKCE S256 challenge. */
export function pkceParams(input: { state: string; codeChallenge: string }) {
  return {
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: "S256",
  };
}
