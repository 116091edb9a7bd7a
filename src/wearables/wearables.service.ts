import { fitbitChild } from "../access/rules.ts";
import { SCOPES_BY_TYPE, USER_TYPES, type UserType } from "../auth/scopes.ts";
import type { Caller } from "../auth/tokens.ts";
import { type ApiError, errors } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import type { Env } from "../env.ts";
import type { TrackingIngest } from "../tracking/ingest.ts";
import { CallBudget } from "./budget.ts";
import { randomToken, sha256Base64Url } from "../core/encoding.ts";
import { fitbitErrors, redact, toContractError } from "./errors.ts";
import {
  hasDataKind,
  ProviderError,
  type ProviderErrorKind,
  type ProviderId,
  type ProviderRegistry,
  type PublicClientInfo,
  type TokenSet,
  type WearableProvider,
} from "./provider.ts";
import { NotificationReceiver } from "./providers/google-health/webhook.ts";
import { Revoker } from "./revoker.ts";
import { everyInterval, type Worker } from "../core/worker.ts";
import { SyncScheduler } from "./scheduler.ts";
import type { DataCipher } from "./secrets.ts";
import { wearableStatusOf } from "./status.ts";
import { type AuthStateRow, insertAuthState, takeAuthState } from "./store/auth-states.ts";
import {
  childrenOfExternalUser,
  type ConnectionRow,
  connectionState,
  findConnection,
  replaceConnection,
} from "./store/connections.ts";
import { markDueOnce, pruneNotifications } from "./store/notifications.ts";
import { listRevocations, queueRevocation } from "./store/revocations.ts";
import { openTokens, sealTokens } from "./store/sealing.ts";
import { ScopeError, type SyncCounts, SyncFailure, WearableSync } from "./sync.ts";
import { noTelemetry, type WearableTelemetry } from "./telemetry.ts";
import { NoConnectionError, TokenKeeper } from "./tokens.ts";
import type { WearableStatus } from "./wearables.schemas.ts";

/** What the wearables module is built with. */
export interface WearablesDeps {
  db: Database;
  config: Env;
  cipher: DataCipher;
  ingest: TrackingIngest;
  log: Logger;
  now: () => number;
  /** The providers, built at the composition root (`providers/registry.ts`). */
  providers: ProviderRegistry;
  /** Metrics hooks (default: none). */
  telemetry?: WearableTelemetry;
}

/** How long a platform-managed authorization may take. */
export const AUTH_STATE_TTL_MS = 10 * 60_000;

/** The body of FB2. */
export interface SubmittedAuth {
  access_token: string;
  refresh_token: string;
}

/** How a platform-managed authorization ended (the callback page shows it). */
export type AuthorizationOutcome =
  | "connected"
  | "refused"
  | "expired"
  | "forbidden"
  | "scope"
  | { failed: ProviderErrorKind };

/** The outcome, with the provider the authorization was started with (when known). */
export interface AuthorizationResult {
  outcome: AuthorizationOutcome;
  provider?: ProviderId;
}

/** A remote revocation as admins see it (never a token). */
export interface RevocationView {
  id: string;
  provider: string;
  child_id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  queued_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
}

/**
 * The wearables module: token keeping, sync, scheduler, revoker, the platform-managed
 * authorization and push notifications, wired once per process and shared by routes and
 * background workers (the in-process single-flight of refreshes depends on sharing it).
 * Each connection is served by its stored provider; new connections by the active one
 * (`WEARABLE_PROVIDER`).
 */
export class Wearables {
  readonly providers: ProviderRegistry;
  readonly budget: CallBudget;
  readonly keeper: TokenKeeper;
  readonly sync: WearableSync;
  readonly revoker: Revoker;
  readonly scheduler: SyncScheduler;
  readonly cipher: DataCipher;
  readonly notifications: NotificationReceiver;
  /** The revocations started by `revokeQueuedSoon`, chained (one run at a time). */
  private revoking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WearablesDeps) {
    this.cipher = deps.cipher;
    const { db, config, cipher, ingest, log, now, providers } = deps;
    const telemetry = deps.telemetry ?? noTelemetry;
    const leaseMs = config.FITBIT_REQUEST_TIMEOUT_MS * 3;
    this.providers = providers;
    this.budget = new CallBudget(db, now, telemetry);
    const common = { db, cipher, providers, budget: this.budget, log, now, leaseMs };
    this.keeper = new TokenKeeper(common);
    this.sync = new WearableSync({
      db,
      keeper: this.keeper,
      budget: this.budget,
      ingest,
      log,
      now,
      intervalMs: config.FITBIT_SYNC_INTERVAL * 1000,
      leaseMs: 10 * 60_000,
      telemetry,
    });
    this.revoker = new Revoker({
      ...common,
      policy: {
        maxAttempts: config.WEARABLE_REVOKE_MAX_ATTEMPTS,
        maxAgeMs: config.WEARABLE_REVOKE_MAX_AGE_HOURS * 3_600_000,
      },
      telemetry,
    });
    this.scheduler = new SyncScheduler({
      db,
      sync: this.sync,
      budget: this.budget,
      providers,
      log,
      now,
      concurrency: config.FITBIT_SYNC_CONCURRENCY,
      leaseMs: 10 * 60_000,
    });
    this.notifications = new NotificationReceiver({
      secret: config.GOOGLE_HEALTH_WEBHOOK_SECRET,
      keysetUrl: config.GOOGLE_HEALTH_WEBHOOK_KEYSET_URL,
      timeoutMs: config.FITBIT_REQUEST_TIMEOUT_MS,
      now,
    });
  }

  /** The provider new connections use (`WEARABLE_PROVIDER`). */
  get active(): WearableProvider {
    const provider = this.providers[this.deps.config.WEARABLE_PROVIDER];
    if (!provider) {
      throw new Error(`no provider registered for ${this.deps.config.WEARABLE_PROVIDER}`);
    }
    return provider;
  }

  /** FB1: the active provider's public client data (never a secret). */
  publicClient(): PublicClientInfo {
    const info = this.active.publicClient();
    if (!info) throw fitbitErrors.clientNotConfigured();
    return info;
  }

  /**
   * FB2: checks a submitted pair with the active provider (locally first when its tokens
   * describe themselves) and stores it sealed, replacing the child's connection. Throws
   * the documented ApiError. A rejected submission changes nothing: its provider calls
   * are counted against the child's budget only once the pair is accepted.
   */
  async connectSubmitted(childId: string, body: SubmittedAuth): Promise<void> {
    const provider = this.active;
    const at = body.access_token, rt = body.refresh_token;
    let claims;
    if (provider.readSubmitted) {
      try {
        claims = provider.readSubmitted(at);
      } catch {
        throw fitbitErrors.accessTokenInvalid(at);
      }
      if (!hasDataKind(provider.grantedKinds(claims.scope))) throw fitbitErrors.scope();
    }
    if (!provider.configured()) throw fitbitErrors.invalidClient();
    const ctx = this.budget.context(provider, childId, { detached: true });
    let tokens: TokenSet;
    try {
      tokens = await provider.verifySubmitted(ctx, { accessToken: at, refreshToken: rt, claims });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "scope_missing") throw fitbitErrors.scope();
      if (error.kind === "token_invalid" && claims && claims.expiresAt <= this.deps.now()) {
        throw fitbitErrors.accessTokenExpired(at);
      }
      throw toContractError(error, { accessToken: at, refreshToken: rt });
    }
    if (!hasDataKind(provider.grantedKinds(tokens.scope))) throw fitbitErrors.scope();
    await this.store(childId, provider, tokens);
    await this.budget.charge(provider, childId, ctx.calls);
  }

  /** FB3's body: the access token and status; the refresh token to no one (README: secrets). */
  async authView(childId: string) {
    const row = await findConnection(this.deps.db, childId);
    if (!row) throw fitbitErrors.authNotFound();
    const tokens = await openTokens(this.deps.cipher, row);
    return { access_token: tokens.accessToken, status: row.status };
  }

  /**
   * WS1: the child's connection as those who may manage it see it: provider, status, when
   * it was connected, how its last sync ended and whether the device sends any data.
   * Never a token.
   */
  async wearableStatus(childId: string): Promise<WearableStatus> {
    const state = await connectionState(this.deps.db, childId);
    if (!state) throw errors.noSuchChild(childId); // deleted since the access rule ran
    return wearableStatusOf(state);
  }

  /** FB4: forget at once, revoke remotely; a provider failure is answered (and retried later). */
  async revoke(childId: string): Promise<void> {
    const outcome = await this.revoker.revokeChild(childId);
    if (outcome.state === "pending" || outcome.state === "failed") {
      throw toContractError(outcome.error, outcome.tokens);
    }
  }

  /**
   * Runs the due remote revocations now, in the background, instead of at the revoker's
   * next tick (a user deletion has just queued one). Never throws: failures are logged and
   * the entry stays queued for the background revoker.
   */
  revokeQueuedSoon(): void {
    this.revoking = this.revoking
      .then(() => this.revoker.processDue())
      .then(() => {}, (error) => {
        this.deps.log.error("wearable revocations failed", { error: redact(String(error)) });
      });
  }

  /** Resolves when the revocations started by `revokeQueuedSoon` so far have run. */
  async revocationsSettled(): Promise<void> {
    await this.revoking;
  }

  /** Remote revocations still pending or given up, for admins (never a token). */
  async revocations(state?: "pending" | "failed"): Promise<RevocationView[]> {
    const iso = (at: number | null) => at === null ? null : new Date(at).toISOString();
    return (await listRevocations(this.deps.db, state)).map((row) => ({
      id: row.id,
      provider: row.provider,
      child_id: row.childId,
      state: row.state,
      attempts: row.attempts,
      last_error: row.lastError,
      queued_at: new Date(row.createdAt).toISOString(),
      last_attempt_at: iso(row.lastAttemptAt),
      next_attempt_at: row.state === "pending" ? iso(row.nextAttemptAt) : null,
    }));
  }

  /** FB5: syncs now; failures become the documented errors. */
  async syncNow(childId: string): Promise<SyncCounts> {
    try {
      return await this.sync.syncChild(childId);
    } catch (error) {
      throw this.syncError(error);
    }
  }

  private syncError(error: unknown): ApiError | unknown {
    if (error instanceof NoConnectionError) return fitbitErrors.noAuthData();
    if (error instanceof ScopeError) return fitbitErrors.scope();
    if (error instanceof SyncFailure) return toContractError(error.error, error.tokens);
    if (error instanceof ProviderError) {
      return toContractError(error, { accessToken: "", refreshToken: "" });
    }
    return error;
  }

  /**
   * Starts a platform-managed authorization with the active provider (OAuth 2.0 code
   * flow with PKCE S256): a single-use `state` bound to the child and the caller, kept
   * server-side with the sealed verifier for ten minutes. Returns the consent URL.
   */
  async startAuthorization(childId: string, caller: Caller, origin: string) {
    const provider = this.active;
    if (!provider.configured()) throw fitbitErrors.clientNotConfigured();
    const now = this.deps.now();
    const state = randomToken(32);
    const verifier = randomToken(48);
    const stateHash = await sha256Base64Url(state);
    const redirectUri = this.deps.config.FITBIT_REDIRECT_URI ?? `${origin}/v1/fitbit/callback`;
    await insertAuthState(this.deps.db, {
      stateHash,
      provider: provider.id,
      childId,
      callerId: caller.sub,
      callerType: caller.type,
      verifier: await this.deps.cipher.seal(verifier, `pkce:${stateHash}`),
      redirectUri,
      expiresAt: now + AUTH_STATE_TTL_MS,
      createdAt: now,
    });
    return {
      authorization_url: provider.authorizeUrl({
        state,
        codeChallenge: await sha256Base64Url(verifier),
        redirectUri,
      }),
      expires_at: new Date(now + AUTH_STATE_TTL_MS).toISOString(),
    };
  }

  /**
   * The public callback: takes the state (single use), checks it has not expired and that
   * its caller may still act for the child, exchanges the code (with the provider the
   * authorization started with) and stores the tokens.
   */
  async completeAuthorization(
    query: { state?: string; code?: string; error?: string },
  ): Promise<AuthorizationResult> {
    if (!query.state) return { outcome: "expired" };
    const row = await takeAuthState(this.deps.db, await sha256Base64Url(query.state));
    const now = this.deps.now();
    if (!row || row.expiresAt <= now) return { outcome: "expired" };
    const provider = row.provider as ProviderId;
    return { outcome: await this.finishAuthorization(row, query, now), provider };
  }

  private async finishAuthorization(
    row: AuthStateRow,
    query: { code?: string; error?: string },
    now: number,
  ): Promise<AuthorizationOutcome> {
    if (query.error || !query.code) return "refused";
    const type = USER_TYPES.find((t) => t === row.callerType) as UserType | undefined;
    const caller: Caller | undefined = type &&
      { sub: row.callerId, type, scopes: new Set(SCOPES_BY_TYPE[type]) };
    const refusal = caller &&
      await fitbitChild({ db: this.deps.db, caller, params: { user_id: row.childId } });
    if (!caller || refusal) return "forbidden";
    const provider = this.providers[row.provider as keyof ProviderRegistry];
    if (!provider) return { failed: "client_invalid" };
    const ctx = this.budget.context(provider, row.childId, { detached: true });
    let tokens: TokenSet;
    try {
      tokens = await provider.exchangeCode(ctx, {
        code: query.code,
        codeVerifier: await this.deps.cipher.open(row.verifier, `pkce:${row.stateHash}`),
        redirectUri: row.redirectUri,
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.deps.log.warn("wearable authorization failed", {
        child_id: row.childId,
        provider: provider.id,
        error: error.kind,
      });
      return { failed: error.kind };
    }
    await this.budget.charge(provider, row.childId, ctx.calls);
    if (!hasDataKind(provider.grantedKinds(tokens.scope))) {
      // Consent without any data scope: useless to keep, so the grant is revoked.
      await queueRevocation(this.deps.db, {
        provider: provider.id,
        childId: row.childId,
        tokens: await sealTokens(this.deps.cipher, provider.id, row.childId, tokens),
        expiresAt: tokens.expiresAt,
      }, now);
      return "scope";
    }
    await this.store(row.childId, provider, tokens);
    this.deps.log.info("wearable authorized by the platform flow", {
      child_id: row.childId,
      provider: provider.id,
      by: row.callerId,
    });
    return "connected";
  }

  /**
   * Stores a new pair, replacing the child's connection. A replaced connection of another
   * provider or account has its grant queued for revocation (a legacy Fitbit grant is
   * tried once: its 410 ends it): the child moves over keeping its history
   * (google-health.md §2.3).
   */
  private async store(childId: string, provider: WearableProvider, tokens: TokenSet) {
    const previous = await findConnection(this.deps.db, childId);
    await replaceConnection(this.deps.db, {
      childId,
      provider: provider.id,
      sealed: await sealTokens(this.deps.cipher, provider.id, childId, tokens),
      tokens,
      now: this.deps.now(),
    });
    await this.reportMove(childId, provider, tokens, previous);
  }

  /**
   * Logs how a new connection relates to legacy ones (google-health.md §2.3): the child's
   * own legacy account (same person, or a different Fitbit account), the same legacy or
   * health account linked to another child (accepted; nothing moves between children).
   */
  private async reportMove(
    childId: string,
    provider: WearableProvider,
    tokens: TokenSet,
    previous: ConnectionRow | undefined,
  ) {
    const { db, log } = this.deps;
    if (previous && previous.provider !== provider.id) {
      log.info("wearable connection moved to another provider; the old grant is revoked", {
        child_id: childId,
        from: previous.provider,
        to: provider.id,
        same_account: tokens.legacyUserId !== undefined &&
          tokens.legacyUserId === previous.externalUserId,
      });
    }
    const others = async (id: ProviderId, user: string) =>
      (await childrenOfExternalUser(db, id, user)).filter((other) => other !== childId);
    if (tokens.legacyUserId) {
      const sharing = await others("fitbit", tokens.legacyUserId);
      if (sharing.length > 0) {
        log.warn("the legacy Fitbit account of a new connection is linked to another child", {
          child_id: childId,
          other_children: sharing,
        });
      }
    }
    const sharing = await others(provider.id, tokens.externalUserId);
    if (sharing.length > 0) {
      log.warn("the provider account of a new connection is linked to another child too", {
        child_id: childId,
        provider: provider.id,
        other_children: sharing,
      });
    }
  }

  /**
   * The Google Health push receiver (google-health.md §5): the `Authorization` secret
   * first (401 without, 403 wrong; the body is not read before), the signature when a
   * keyset is configured (403), then the verification probe (201) or notifications (204):
   * each names a `healthUserId`, whose child is made due for a sync once (a replay
   * changes nothing); unknown users are ignored.
   */
  async receiveNotification(request: {
    authorization?: string;
    headers: Headers;
    body: () => Promise<ArrayBuffer>;
  }): Promise<201 | 204> {
    await this.notifications.authorize(request.authorization);
    const raw = new Uint8Array(await request.body());
    const message = await this.notifications.read(request.headers, raw);
    if (message.kind === "verification") {
      this.deps.log.info("google health notification endpoint verified");
      return 201;
    }
    const now = this.deps.now();
    const marked: string[] = [];
    let unknown = 0;
    if (message.items.length > 0) await pruneNotifications(this.deps.db, now);
    for (const item of message.items) {
      const children = await childrenOfExternalUser(
        this.deps.db,
        "google_health",
        item.healthUserId,
      );
      if (children.length === 0) unknown++;
      for (const childId of children) {
        if (await markDueOnce(this.deps.db, { childId, digest: item.digest, now })) {
          marked.push(childId);
        }
      }
    }
    this.deps.log.info("google health notifications received", {
      notifications: message.items.length,
      children_due: marked,
      unknown_users: unknown,
    });
    return 204;
  }

  /**
   * The background workers: the revoker (always; every 30 s) and, when FITBIT_SYNC_INTERVAL
   * is set, the scheduler (polling for due children at most every minute).
   */
  startWorkers(): Worker[] {
    const { config, log } = this.deps;
    const workers = [
      everyInterval("wearable revoker", 30_000, () => this.revoker.processDue(), log, 1_000),
    ];
    const intervalMs = config.FITBIT_SYNC_INTERVAL * 1000;
    if (intervalMs > 0) {
      workers.push(
        everyInterval(
          "wearable scheduler",
          Math.min(intervalMs, 60_000),
          () => this.scheduler.runRound(),
          log,
          5_000,
        ),
      );
    }
    return workers;
  }
}
