import { fitbitChild } from "../access/rules.ts";
import { SCOPES_BY_TYPE, USER_TYPES, type UserType } from "../auth/scopes.ts";
import type { Caller } from "../auth/tokens.ts";
import type { ApiError } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import type { Env } from "../env.ts";
import { FitbitProvider } from "../fitbit/fitbit.provider.ts";
import type { TrackingIngest } from "../tracking/ingest.ts";
import { CallBudget } from "./budget.ts";
import { randomToken, sha256Base64Url } from "./encoding.ts";
import { fitbitErrors, redact, toContractError } from "./errors.ts";
import {
  type DataKind,
  ProviderError,
  type ProviderErrorKind,
  type ProviderRegistry,
  type TokenSet,
  type WearableProvider,
} from "./provider.ts";
import { Revoker } from "./revoker.ts";
import { everyInterval, SyncScheduler, type Worker } from "./scheduler.ts";
import type { DataCipher } from "./secrets.ts";
import { ScopeError, type SyncCounts, SyncFailure, WearableSync } from "./sync.ts";
import { NoConnectionError, TokenKeeper } from "./tokens.ts";
import {
  findConnection,
  insertAuthState,
  openTokens,
  queueRevocation,
  replaceConnection,
  sealTokens,
  takeAuthState,
} from "./wearables.store.ts";

/** What the wearables module is built with. */
export interface WearablesDeps {
  db: Database;
  config: Env;
  cipher: DataCipher;
  ingest: TrackingIngest;
  log: Logger;
  now: () => number;
  /** Replaces the configured providers (tests). */
  providers?: ProviderRegistry;
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

const hasDataKind = (kinds: ReadonlySet<DataKind>) =>
  kinds.has("weights") || kinds.has("sleep") || kinds.has("activities");

/**
 * The wearables module: token keeping, sync, scheduler, revoker and the platform-managed
 * authorization, wired once per process and shared by routes and background workers (the
 * in-process single-flight of refreshes depends on sharing it).
 */
export class Wearables {
  readonly providers: ProviderRegistry;
  readonly budget: CallBudget;
  readonly keeper: TokenKeeper;
  readonly sync: WearableSync;
  readonly revoker: Revoker;
  readonly scheduler: SyncScheduler;
  readonly cipher: DataCipher;
  /** The revocations started by `revokeQueuedSoon`, chained (one run at a time). */
  private revoking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WearablesDeps) {
    this.cipher = deps.cipher;
    const { db, config, cipher, ingest, log, now } = deps;
    const leaseMs = config.FITBIT_REQUEST_TIMEOUT_MS * 3;
    this.providers = deps.providers ?? {
      fitbit: new FitbitProvider({
        clientId: config.FITBIT_CLIENT_ID,
        clientSecret: config.FITBIT_CLIENT_SECRET,
        apiUrl: config.FITBIT_API_URL,
        authorizeUrl: config.FITBIT_AUTHORIZE_URL,
        timeoutMs: config.FITBIT_REQUEST_TIMEOUT_MS,
      }),
    };
    const providers = this.providers;
    this.budget = new CallBudget(db, now);
    this.keeper = new TokenKeeper({
      db,
      cipher,
      providers,
      budget: this.budget,
      log,
      now,
      leaseMs,
    });
    this.sync = new WearableSync({
      db,
      keeper: this.keeper,
      budget: this.budget,
      ingest,
      log,
      now,
      intervalMs: config.FITBIT_SYNC_INTERVAL * 1000,
      leaseMs: 10 * 60_000,
    });
    this.revoker = new Revoker({ db, cipher, providers, budget: this.budget, log, now, leaseMs });
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
  }

  /** The provider behind the `/fitbit` routes. */
  get fitbit(): WearableProvider {
    return this.providers.fitbit!;
  }

  /**
   * FB2: checks a submitted pair (locally, then with the provider) and stores it sealed,
   * replacing the child's connection. Throws the documented ApiError.
   */
  async connectSubmitted(childId: string, body: SubmittedAuth): Promise<void> {
    const provider = this.fitbit;
    const at = body.access_token, rt = body.refresh_token;
    let claims;
    try {
      claims = provider.readSubmitted(at);
    } catch {
      throw fitbitErrors.accessTokenInvalid(at);
    }
    if (!hasDataKind(provider.grantedKinds(claims.scope))) throw fitbitErrors.scope();
    if (!provider.configured()) throw fitbitErrors.invalidClient();
    let tokens: TokenSet;
    try {
      tokens = await provider.inspectSubmitted(this.budget.context(provider, childId), {
        accessToken: at,
        refreshToken: rt,
        claims,
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "token_invalid" && claims.expiresAt <= this.deps.now()) {
        throw fitbitErrors.accessTokenExpired(at);
      }
      throw toContractError(error, { accessToken: at, refreshToken: rt });
    }
    await this.store(childId, provider, tokens);
  }

  /** FB3's body; the refresh token only for admins and applications (README: secrets). */
  async authView(childId: string, caller: Caller) {
    const row = await findConnection(this.deps.db, childId);
    if (!row) throw fitbitErrors.authNotFound();
    const tokens = await openTokens(this.deps.cipher, row);
    const privileged = caller.type === "admin" || caller.type === "application";
    return {
      access_token: tokens.accessToken,
      ...(privileged && { refresh_token: tokens.refreshToken }),
      status: row.status,
    };
  }

  /** FB4: forget at once, revoke remotely; a provider failure is answered (and retried later). */
  async revoke(childId: string): Promise<void> {
    const outcome = await this.revoker.revokeChild(childId);
    if (outcome.state === "pending") throw toContractError(outcome.error, outcome.tokens);
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
   * Starts a platform-managed authorization (OAuth 2.0 code flow with PKCE S256): a
   * single-use `state` bound to the child and the caller, kept server-side with the
   * sealed verifier for ten minutes. Returns the consent URL.
   */
  async startAuthorization(childId: string, caller: Caller, origin: string) {
    const provider = this.fitbit;
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
   * its caller may still act for the child, exchanges the code and stores the tokens.
   */
  async completeAuthorization(
    query: { state?: string; code?: string; error?: string },
  ): Promise<AuthorizationOutcome> {
    if (!query.state) return "expired";
    const row = await takeAuthState(this.deps.db, await sha256Base64Url(query.state));
    const now = this.deps.now();
    if (!row || row.expiresAt <= now) return "expired";
    if (query.error || !query.code) return "refused";
    const type = USER_TYPES.find((t) => t === row.callerType) as UserType | undefined;
    const caller: Caller | undefined = type &&
      { sub: row.callerId, type, scopes: new Set(SCOPES_BY_TYPE[type]) };
    const refusal = caller &&
      await fitbitChild({ db: this.deps.db, caller, params: { user_id: row.childId } });
    if (!caller || refusal) return "forbidden";
    const provider = this.providers[row.provider as keyof ProviderRegistry];
    if (!provider) return { failed: "client_invalid" };
    let tokens: TokenSet;
    try {
      tokens = await provider.exchangeCode(this.budget.context(provider, row.childId), {
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

  private async store(childId: string, provider: WearableProvider, tokens: TokenSet) {
    await replaceConnection(this.deps.db, {
      childId,
      provider: provider.id,
      sealed: await sealTokens(this.deps.cipher, provider.id, childId, tokens),
      tokens,
      now: this.deps.now(),
    });
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
