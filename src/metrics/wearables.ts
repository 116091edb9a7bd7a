import type { WearableTelemetry } from "../wearables/telemetry.ts";
import {
  recordProviderCall,
  recordProviderRateLimited,
  recordRevocationQueue,
  recordWearableSync,
} from "./metrics.ts";

/**
 * The wearables module's telemetry hooks, recorded as Prometheus metrics: every provider
 * answer (a 429 counted as rate-limited too), every finished sync by provider and outcome,
 * and the revocation queue after each revoker pass. Passed to `new Wearables` at the
 * composition root.
 */
export const wearableMetrics: WearableTelemetry = {
  providerCall({ provider, status }) {
    recordProviderCall(provider);
    if (status === 429) recordProviderRateLimited(provider);
  },
  syncFinished({ provider, outcome }) {
    recordWearableSync(provider, outcome);
  },
  revocationQueue({ pending, failed }) {
    recordRevocationQueue(pending, failed);
  },
};
