import type { Database } from "../db/client.ts";
import type { Logger } from "../core/log.ts";
import type { CallBudget } from "./budget.ts";
import {
  ProviderError,
  type ProviderRegistry,
  type TokenSet,
  type WearableProvider,
} from "./provider.ts";
import type { DataCipher } from "./secrets.ts";
import { setChildState } from "./store/children.ts";
import { type ConnectionRow, dropDeadConnection, findConnection } from "./store/connections.ts";
import { claimRefreshLease, releaseRefreshLease, saveRefreshed } from "./store/leases.ts";
import { queueRevocation } from "./store/revocations.ts";
import { openTokens, sealTokens } from "./store/sealing.ts";

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 10 * 60_000;

/** A connection with its tokens opened. */
export interface Connection {
  row: ConnectionRow;
  tokens: TokenSet;
  provider: WearableProvider;
}

/** The child has no (longer a) connection. */
export class NoConnectionError extends Error {
  constructor() {
    super("no wearable connection");
  }
}

/** What the keeper is built with. */
export interface TokenKeeperDeps {
  db: Database;
  cipher: DataCipher;
  providers: ProviderRegistry;
  budget: CallBudget;
  log: Logger;
  now: () => number;
  /** How long a refresh lease lasts; longer than a request can take. */
  leaseMs: number;
  /** Pause between two looks at a refresh another process runs. */
  pollMs?: number;
}

/**
 * Keeps a child's tokens fresh. Fitbit refresh tokens are single use (Google's are not,
 * but the same discipline costs nothing), so a refresh runs
 * once per token version: in this process, concurrent callers share one promise; across
 * processes, a short lease claimed with a conditional UPDATE elects one refresher, and
 * the others wait for the version to move and re-read the persisted pair. The new pair
 * is persisted (one statement) before anyone uses it.
 */
export class TokenKeeper {
  private readonly running = new Map<string, Promise<Connection>>();
  private readonly owner = crypto.randomUUID();

  constructor(private readonly deps: TokenKeeperDeps) {}

  /** The child's connection with its tokens, or undefined. */
  async load(childId: string): Promise<Connection | undefined> {
    const row = await findConnection(this.deps.db, childId);
    if (!row) return undefined;
    const provider = this.deps.providers[row.provider as keyof ProviderRegistry];
    if (!provider) throw new Error(`no provider registered for ${row.provider}`);
    return { row, tokens: await openTokens(this.deps.cipher, row), provider };
  }

  /**
   * Forgets a connection whose grant the provider declared gone (`invalid_grant`, or a
   * legacy 410), unless its tokens changed meanwhile; the child's status becomes
   * `invalid_grant` (fitbit.md §3.4). Returns true when it was removed.
   */
  async dropDead(row: ConnectionRow): Promise<boolean> {
    if (!await dropDeadConnection(this.deps.db, row.childId, row.tokenVersion)) return false;
    await setChildState(this.deps.db, row.childId, { status: "invalid_grant" });
    this.deps.log.warn("wearable grant gone; tokens forgotten", {
      child_id: row.childId,
      provider: row.provider,
    });
    return true;
  }

  /** The connection, refreshed first when its access token is about to expire. */
  async fresh(connection: Connection): Promise<Connection> {
    if (connection.row.expiresAt - this.deps.now() > REFRESH_MARGIN_MS) return connection;
    return await this.refresh(connection);
  }

  /**
   * A connection newer than `stale`: the persisted pair if another caller already moved
   * past `stale`'s version, otherwise a refresh (single-flight).
   */
  async renew(stale: Connection): Promise<Connection> {
    const current = await this.load(stale.row.childId);
    if (!current) throw new NoConnectionError();
    if (current.row.tokenVersion !== stale.row.tokenVersion) return current;
    return await this.refresh(current);
  }

  /** Refreshes the connection's token version once, whoever asks. */
  refresh(connection: Connection): Promise<Connection> {
    const key = connection.row.childId;
    const running = this.running.get(key);
    if (running) return running;
    const refreshing = this.refreshOnce(connection).finally(() => this.running.delete(key));
    this.running.set(key, refreshing);
    return refreshing;
  }

  private async refreshOnce(connection: Connection): Promise<Connection> {
    const { db, now, leaseMs } = this.deps;
    const childId = connection.row.childId;
    const version = connection.row.tokenVersion;
    const deadline = now() + leaseMs * 2;
    for (;;) {
      const claimed = await claimRefreshLease(db, {
        childId,
        version,
        owner: this.owner,
        now: now(),
        until: now() + leaseMs,
      });
      if (claimed) return await this.refreshLeased(connection);
      const current = await this.load(childId);
      if (!current) throw new NoConnectionError();
      if (current.row.tokenVersion !== version) return current;
      if (now() > deadline) throw new ProviderError("unavailable");
      await new Promise((resolve) => setTimeout(resolve, this.deps.pollMs ?? 25));
    }
  }

  private async refreshLeased(connection: Connection): Promise<Connection> {
    const { db, cipher, budget, now, log } = this.deps;
    const { row, provider } = connection;
    let tokens: TokenSet;
    try {
      tokens = await provider.refresh(budget.context(provider, row.childId), connection.tokens);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "grant_invalid") {
        // The grant is gone: forget the tokens (fitbit.md §3.4), unless they changed meanwhile.
        await this.dropDead(row);
      } else {
        await releaseRefreshLease(db, row.childId, this.owner);
      }
      throw error;
    }
    const sealed = await sealTokens(cipher, provider.id, row.childId, tokens);
    const saved = await saveRefreshed(db, {
      childId: row.childId,
      version: row.tokenVersion,
      owner: this.owner,
      sealed,
      tokens,
      now: now(),
    });
    if (!saved) {
      // Revoked or replaced while refreshing: the new pair must never be used. If the
      // connection is gone (revoked), make sure the grant's new pair is revoked too.
      if (!await findConnection(db, row.childId)) {
        await queueRevocation(db, {
          provider: provider.id,
          childId: row.childId,
          tokens: sealed,
          expiresAt: tokens.expiresAt,
        }, now());
      }
      log.warn("refreshed tokens discarded: connection changed meanwhile", {
        child_id: row.childId,
        provider: provider.id,
      });
      throw new NoConnectionError();
    }
    log.info("wearable tokens refreshed", { child_id: row.childId, provider: provider.id });
    return { row: saved, tokens, provider };
  }
}
