import type { Env } from "../../env.ts";
import type { ProviderRegistry } from "../provider.ts";
import { FitbitProvider } from "./fitbit/provider.ts";
import { GoogleHealthProvider } from "./google-health/provider.ts";

/**
 * Every wearable provider, configured from the settings (called at the composition root).
 * Both are always registered: existing connections keep their stored provider, and
 * `WEARABLE_PROVIDER` picks the one new connections use.
 */
export function createProviders(config: Env, now: () => number): ProviderRegistry {
  return {
    google_health: new GoogleHealthProvider({
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      apiUrl: config.GOOGLE_HEALTH_API_BASE_URL,
      authUrl: config.GOOGLE_OAUTH_AUTH_URL,
      tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
      revokeUrl: config.GOOGLE_OAUTH_REVOKE_URL,
      tokeninfoUrl: config.GOOGLE_TOKENINFO_URL,
      timeoutMs: config.FITBIT_REQUEST_TIMEOUT_MS,
      retry: {
        retries: config.GOOGLE_HEALTH_RETRIES,
        baseMs: config.GOOGLE_HEALTH_RETRY_BASE_MS,
        maxMs: Math.max(config.GOOGLE_HEALTH_RETRY_BASE_MS, 30_000),
      },
      now,
    }),
    fitbit: new FitbitProvider({
      clientId: config.FITBIT_CLIENT_ID,
      clientSecret: config.FITBIT_CLIENT_SECRET,
      apiUrl: config.FITBIT_API_URL,
      authorizeUrl: config.FITBIT_AUTHORIZE_URL,
      timeoutMs: config.FITBIT_REQUEST_TIMEOUT_MS,
      refusedMeansGone: config.FITBIT_REFUSED_MEANS_GONE,
    }),
  };
}
