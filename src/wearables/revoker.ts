import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import type { CallBudget } from "./budget.ts";
import { redact } from "./errors.ts";
import { ProviderError, type ProviderRegistry, type TokenSet } from "./provider.ts";
import type { DataCipher } from "./secrets.ts";
import {
  claimDueRevocations,
  completeRevocation,
  forgetConnection,
  giveUpRevocation,
  retryRevocationLater,
  revocationCounts,
  type RevocationRow,
} from "./store/revocations.ts";
import { openTokens } from "./store/sealing.ts";
import { noTelemetry, type WearableTelemetry } from "./telemetry.ts";

/** First retry delay after a failed remote revocation; doubles up to the cap. */
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 6 * 3_600_000;

/** How long and how often a remote revocation is tried before it is given up. */
export interface RevocationPolicy {
  /** Attempts in all (the first included). */
  maxAttempts: number;
  /** Age after which a failed attempt is the last one, ms. */
  maxAgeMs: number;
}

/** The outcome of a revoke request. */
export type RevokeOutcome =
  | { state: "none" }
  | { state: "revoked" }
  | { state: "pending"; error: ProviderError; tokens: TokenSet }
  | { state: "failed"; error: ProviderError; tokens: TokenSet };

/** What the revoker is built with. */
export interface RevokerDeps {
  db: Database;
  cipher: DataCipher;
  providers: ProviderRegistry;
  budget: CallBudget;
  log: Logger;
  now: () => number;
  leaseMs: number;
  policy: RevocationPolicy;
  telemetry?: WearableTelemetry;
}

/**
 * Revokes grants. Locally the tokens are forgotten at once (never used again, whatever
 * the provider answers); the remote revocation is a persisted, sealed queue entry tried
 * right away and then in the background until the provider confirms or says the grant
 * is already gone (a legacy Fitbit 410 included), within a bounded number of attempts
 * and age; an entry that runs out stays `failed` (without tokens) for admins to see. The
 * queue survives restarts and is shared by instances (leases).
 */
export class Revoker {
  private readonly owner = crypto.randomUUID();

  constructor(private readonly deps: RevokerDeps) {}

  /** FB4: forget the child's tokens, set `fitbit_status` none, revoke at the provider. */
  async revokeChild(childId: string): Promise<RevokeOutcome> {
    const now = this.deps.now();
    const queued = await forgetConnection(this.deps.db, {
      childId,
      now,
      owner: this.owner,
      until: now + this.deps.leaseMs,
    });
    if (!queued) return { state: "none" };
    this.deps.log.info("wearable tokens forgotten; revoking remotely", {
      child_id: childId,
      provider: queued.provider,
    });
    return await this.attempt(queued);
  }

  /** Tries every due revocation once; returns how many were confirmed and how many wait. */
  async processDue(limit = 50): Promise<{ confirmed: number; waiting: number }> {
    let confirmed = 0, waiting = 0;
    for (;;) {
      const now = this.deps.now();
      const rows = await claimDueRevocations(this.deps.db, {
        owner: this.owner,
        now,
        until: now + this.deps.leaseMs,
        limit,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const outcome = await this.attempt(row);
        if (outcome.state === "revoked") confirmed++;
        else if (outcome.state === "pending") waiting++;
      }
      if (rows.length < limit) break;
    }
    if (confirmed + waiting > 0) {
      this.deps.log.info("wearable revocations processed", { confirmed, waiting });
    }
    (this.deps.telemetry ?? noTelemetry).revocationQueue(await revocationCounts(this.deps.db));
    return { confirmed, waiting };
  }

  private async attempt(row: RevocationRow): Promise<RevokeOutcome> {
    const provider = this.deps.providers[row.provider as keyof ProviderRegistry];
    const tokens = await openTokens(this.deps.cipher, row);
    try {
      if (!provider) throw new ProviderError("client_invalid");
      await provider.revoke(
        this.deps.budget.context(provider, row.childId, { exempt: true }),
        tokens,
        this.deps.now(),
      );
    } catch (error) {
      const failure = error instanceof ProviderError ? error : new ProviderError("unavailable");
      if (!(error instanceof ProviderError)) {
        this.deps.log.error("unexpected revocation failure", { error: redact(String(error)) });
      }
      return await this.failed(row, failure, tokens);
    }
    await completeRevocation(this.deps.db, row.id);
    this.deps.log.info("wearable grant revoked", { child_id: row.childId, provider: row.provider });
    return { state: "revoked" };
  }

  /** A failed attempt: retried later with back-off, or given up when out of attempts or age. */
  private async failed(
    row: RevocationRow,
    error: ProviderError,
    tokens: TokenSet,
  ): Promise<RevokeOutcome> {
    const { db, log, policy } = this.deps;
    const now = this.deps.now();
    const attempts = row.attempts + 1;
    const fields = { child_id: row.childId, provider: row.provider, error: error.kind, attempts };
    if (attempts >= policy.maxAttempts || now - row.createdAt >= policy.maxAgeMs) {
      await giveUpRevocation(db, { id: row.id, owner: this.owner, now, error: error.kind });
      log.error("wearable revocation given up; the grant may still be live at the provider", {
        ...fields,
        queued_at: new Date(row.createdAt).toISOString(),
      });
      return { state: "failed", error, tokens };
    }
    const delay = Math.min(FIRST_RETRY_MS * 2 ** row.attempts, MAX_RETRY_MS);
    await retryRevocationLater(db, {
      id: row.id,
      owner: this.owner,
      now,
      nextAttemptAt: now + delay,
      error: error.kind,
    });
    log.warn("wearable revocation not confirmed; will retry", { ...fields, retry_in_ms: delay });
    return { state: "pending", error, tokens };
  }
}
