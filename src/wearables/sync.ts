import type { Logger } from "../core/log.ts";
import { deleteChildData } from "../db/cascade.ts";
import type { Database } from "../db/client.ts";
import type { IngestResult, LogItem, TrackingIngest } from "../tracking/ingest.ts";
import type { BudgetContext, CallBudget } from "./budget.ts";
import { childStatusFor, type FailedWith } from "./errors.ts";
import {
  type CallContext,
  type DataKind,
  hasDataKind,
  ProviderError,
  type ProviderErrorKind,
  type ProviderSettings,
  type SourceItem,
  type SyncWindow,
} from "./provider.ts";
import {
  addDays,
  addMonths,
  fixedZone,
  ianaZone,
  localDate,
  toInstant,
  UTC,
  type Zone,
} from "./timezone.ts";
import { childExists, setChildState } from "./store/children.ts";
import { findConnection, setConnectionStatus } from "./store/connections.ts";
import { claimSyncLease, finishSync } from "./store/leases.ts";
import { type ItemKey, knownItems, markItems } from "./store/synced-items.ts";
import { noTelemetry, type SyncOutcome, type WearableTelemetry } from "./telemetry.ts";
import { type Connection, NoConnectionError, type TokenKeeper } from "./tokens.ts";

/** What the sync answer and the log say about a connected child with no data at all. */
export const NO_DATA_MESSAGE = "No data available for this device/account.";

/**
 * The FB5 answer (fitbit.md §1.6), keys in the contract's order. When the provider had no
 * data at all for the child in the window read (e.g. a Fitbit Ace, which Google Health
 * does not support; google-health.md §7.2), `no_data` and `message` say so.
 */
export interface SyncCounts {
  activities: number;
  sleep: number;
  weights: number;
  logs: {
    steps: number;
    calories: number;
    active_minutes: number;
    lightly_active_minutes: number;
    sedentary_minutes: number;
  };
  no_data?: true;
  message?: string;
}

/** A sync refused before any provider call: the stored scope allows no data kind. */
export class ScopeError extends Error {
  constructor() {
    super("no data scope");
  }
}

/** A sync that failed with a provider error; `tokens` fill the documented patterns. */
export class SyncFailure extends Error {
  constructor(readonly error: ProviderError, readonly tokens: FailedWith) {
    super(`sync failed: ${error.kind}`);
  }
}

/** Failures that stop the whole sync: no other branch can do better. */
const FATAL: ProviderErrorKind[] = [
  "token_expired",
  "token_invalid",
  "grant_invalid",
  "client_invalid",
  "rate_limited",
];

/** After a first sync, daily series are re-read from this many days before the last sync. */
export const LOG_LOOKBACK_DAYS = 7;

/** What the sync is built with. */
export interface SyncDeps {
  db: Database;
  keeper: TokenKeeper;
  budget: CallBudget;
  ingest: TrackingIngest;
  log: Logger;
  now: () => number;
  /** Time between two background syncs of one child, ms (0: no background sync). */
  intervalMs: number;
  /** How long one sync may hold a child. */
  leaseMs: number;
  telemetry?: WearableTelemetry;
}

type Branch = Exclude<DataKind, "logs">;
const BRANCH_ORDER: DataKind[] = ["weights", "sleep", "activities", "logs"];

/**
 * One child's sync (fitbit.md §4.1, provider-neutral): fresh tokens, the child's time
 * zone, then the data branches; new records (by provider id) go to tracking through the
 * ingest contract, daily series are upserted there. One sync per child at a time
 * (a lease in the database).
 */
export class WearableSync {
  constructor(private readonly deps: SyncDeps) {}

  /**
   * Syncs a child now. `owner` is given when the caller (the scheduler) already holds the
   * child's sync lease; otherwise the lease is claimed here, waiting for a running sync.
   */
  async syncChild(childId: string, owner?: string): Promise<SyncCounts> {
    const leaseOwner = owner ?? await this.claim(childId);
    const started = performance.now();
    let connection = await this.deps.keeper.load(childId);
    const dueAtStart = connection?.row.nextSyncAt ?? 0;
    let next = this.deps.now() + this.deps.intervalMs;
    let learnt: { lastSync?: number; timeZone?: string } = {};
    let outcome: SyncOutcome = "not_connected";
    let scopeRefused = false;
    const ctxOf = (c: Connection) =>
      this.deps.budget.context(c.provider, childId, {
        prepaid: c.provider.plannedCalls(c.row.scope),
      });
    let ctx: BudgetContext | undefined;
    let session: TokenSession | undefined;
    try {
      if (!connection) throw new NoConnectionError();
      const { provider } = connection;
      const kinds = provider.grantedKinds(connection.row.scope);
      if (!hasDataKind(kinds)) throw new ScopeError();
      if (!provider.configured()) throw new ProviderError("client_invalid");
      ctx = ctxOf(connection);
      session = new TokenSession(this.deps.keeper, connection);
      connection =
        await (connection.row.status === "invalid_token" ? session.force() : session.fresh());
      const result = await this.run(childId, session, kinds, ctx);
      const syncedAt = this.deps.now();
      // The next sync re-reads daily series from the last sync on (minus a week), so the
      // window moves on only when this sync's series were read and stored.
      learnt = {
        lastSync: result.logsStored ? syncedAt : undefined,
        timeZone: result.timeZone,
      };
      connection = session.connection;
      await setChildState(this.deps.db, childId, { status: "valid_token", lastSync: syncedAt });
      if (connection.row.status !== "valid_token") {
        await setConnectionStatus(this.deps.db, childId, "valid_token", this.deps.now());
      }
      const fields = {
        child_id: childId,
        provider: provider.id,
        activities: result.counts.activities,
        sleep: result.counts.sleep,
        weights: result.counts.weights,
        logs: Object.values(result.counts.logs).reduce((a, b) => a + b, 0),
        calls: ctx.calls,
        ms: Math.round(performance.now() - started),
      };
      if (result.noData) {
        outcome = "no_data";
        this.deps.log.warn("wearable sync found no data", {
          ...fields,
          message: "no data available for this device/account",
        });
        return { ...result.counts, no_data: true, message: NO_DATA_MESSAGE };
      }
      outcome = "ok";
      this.deps.log.info("wearable sync done", fields);
      return result.counts;
    } catch (error) {
      scopeRefused = error instanceof ScopeError;
      if (error instanceof ProviderError && connection) {
        outcome = error.kind;
        connection = session?.connection ?? connection;
        if (error.kind === "rate_limited") {
          next = this.deps.now() + Math.max(error.retryAfterMs ?? 0, 60_000);
        }
        await this.recordFailure(connection, error);
        this.deps.log.warn("wearable sync failed", {
          child_id: childId,
          provider: connection.provider.id,
          error: error.kind,
          calls: ctx?.calls ?? 0,
        });
        throw new SyncFailure(error, {
          accessToken: connection.tokens.accessToken,
          refreshToken: connection.tokens.refreshToken,
        });
      }
      throw error;
    } finally {
      await ctx?.settle();
      // The connection remembers how this sync ended (the wearable status route shows it);
      // a failure inside the platform is not the connection's and is not remembered.
      const ended = outcome !== "not_connected"
        ? outcome
        : scopeRefused
        ? "scope_missing"
        : undefined;
      await finishSync(this.deps.db, {
        childId,
        owner: leaseOwner,
        dueAtStart,
        nextSyncAt: next,
        ...learnt,
        ...(ended && { outcome: { kind: ended, at: this.deps.now() } }),
      });
      await this.forgetIfDeleted(childId);
      if (connection) {
        (this.deps.telemetry ?? noTelemetry).syncFinished({
          provider: connection.provider.id,
          outcome,
          calls: ctx?.calls ?? 0,
          ms: performance.now() - started,
        });
      }
    }
  }

  /**
   * A child deleted while its sync was fetching must not get data back: the deletion's
   * cascade ran before this sync stored anything, so whatever the sync stored since (and
   * recorded about it) is removed now. Checked after storing: a deletion committed later
   * removes the data itself.
   */
  private async forgetIfDeleted(childId: string): Promise<void> {
    if (await childExists(this.deps.db, childId)) return;
    await this.deps.db.transaction((tx) => deleteChildData(tx, childId));
    this.deps.log.warn("child deleted during its wearable sync; the synced data was removed", {
      child_id: childId,
    });
  }

  /** Claims the child's sync lease, waiting (bounded) for a sync in progress. */
  private async claim(childId: string): Promise<string> {
    const owner = crypto.randomUUID();
    const deadline = Date.now() + Math.min(this.deps.leaseMs, 30_000);
    for (;;) {
      const now = this.deps.now();
      if (
        await claimSyncLease(this.deps.db, { childId, owner, now, until: now + this.deps.leaseMs })
      ) {
        return owner;
      }
      if (!await findConnection(this.deps.db, childId)) throw new NoConnectionError();
      if (Date.now() > deadline) throw new ProviderError("unavailable");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async recordFailure(connection: Connection, error: ProviderError): Promise<void> {
    const childId = connection.row.childId;
    // The grant is gone (a data call said so, e.g. the legacy API's 410): forget it.
    if (error.kind === "grant_invalid") await this.deps.keeper.dropDead(connection.row);
    const status = childStatusFor(error);
    if (status) await setChildState(this.deps.db, childId, { status });
    const connectionStatus = {
      token_expired: "expired_token",
      token_invalid: "invalid_token",
      client_invalid: "invalid_client",
    }[error.kind as string];
    if (connectionStatus) {
      await setConnectionStatus(this.deps.db, childId, connectionStatus, this.deps.now());
    }
  }

  private async run(
    childId: string,
    session: TokenSession,
    kinds: ReadonlySet<DataKind>,
    ctx: CallContext,
  ): Promise<{ counts: SyncCounts; timeZone?: string; logsStored: boolean; noData: boolean }> {
    const { provider, row } = session.connection;
    const now = this.deps.now();
    const settings: ProviderSettings = await session.call((c) => provider.settings(ctx, c.tokens))
      .catch((error) => {
        if (error instanceof ProviderError && FATAL.includes(error.kind)) throw error;
        return {};
      });
    // The child's zone: the provider's setting, else the one read last time; else the
    // offset written on the newest activity; else UTC.
    let zone: Zone | undefined = (settings.timeZone && ianaZone(settings.timeZone)) ||
      (settings.utcOffsetMs !== undefined ? fixedZone(settings.utcOffsetMs) : undefined) ||
      (row.timeZone ? ianaZone(row.timeZone) : undefined);
    const windowIn = (z: Zone): SyncWindow => {
      const today = localDate(now, z);
      const yearAgo = addMonths(today, -12);
      const since = row.lastSync === null
        ? yearAgo
        : addDays(localDate(row.lastSync, z), -LOG_LOOKBACK_DAYS);
      return { zone: z, today, now, logsFrom: since > yearAgo ? since : yearAgo };
    };
    const outcomes: Partial<Record<DataKind, number | ProviderError>> = {};
    // Everything the provider returned (known items included): 0 means no data at all.
    let read = 0;
    const attempt = async (kind: DataKind, work: () => Promise<number>) => {
      try {
        outcomes[kind] = await work();
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        outcomes[kind] = error;
      }
    };

    let activities: SourceItem<unknown>[] = [];
    if (kinds.has("activities")) {
      await attempt("activities", async () => {
        activities = await session.call((c) =>
          provider.activities(ctx, c.tokens.accessToken, windowIn(zone ?? UTC), childId)
        );
        read += activities.length;
        return await this.handOver(provider.id, childId, "activities", activities);
      });
    }
    if (!zone) {
      const offset = activities.find((a) => a.utcOffsetMs !== undefined)?.utcOffsetMs;
      zone = offset === undefined ? UTC : fixedZone(offset);
    }
    const window = windowIn(zone);
    let logs: LogItem[] = [];
    let logsRefused = false;
    const branch = (
      kind: Branch,
      fetch: (accessToken: string) => Promise<SourceItem<unknown>[]>,
    ) =>
      kinds.has(kind)
        ? attempt(kind, async () => {
          const items = await session.call((c) => fetch(c.tokens.accessToken));
          read += items.length;
          return await this.handOver(provider.id, childId, kind, items);
        })
        : Promise.resolve();
    await Promise.all([
      branch("weights", (at) => provider.weights(ctx, at, window, childId)),
      branch("sleep", (at) => provider.sleep(ctx, at, window, childId)),
      kinds.has("logs")
        ? attempt("logs", async () => {
          logs = await session.call((c) => provider.logs(ctx, c.tokens.accessToken, window));
          read += logs.length;
          if (logs.length > 0) {
            const result = await this.deps.ingest.logs(childId, logs);
            this.reportRefused(childId, "logs", result);
            logsRefused = result.error.some((e) => e.code >= 500);
          }
          return logs.length;
        })
        : Promise.resolve(),
    ]);

    const errors = BRANCH_ORDER.map((kind) => outcomes[kind])
      .filter((o): o is ProviderError => o instanceof ProviderError);
    const fatal = errors.find((e) => FATAL.includes(e.kind));
    if (fatal) throw fatal;
    const attempted = BRANCH_ORDER.filter((kind) => outcomes[kind] !== undefined);
    if (attempted.length > 0 && errors.length === attempted.length) throw errors[0];

    const count = (kind: DataKind) => typeof outcomes[kind] === "number" ? outcomes[kind] : 0;
    const perType = (type: LogItem["type"]) => logs.filter((l) => l.type === type).length;
    return {
      counts: {
        activities: count("activities"),
        sleep: count("sleep"),
        weights: count("weights"),
        logs: {
          steps: perType("steps"),
          calories: perType("calories"),
          active_minutes: perType("active_minutes"),
          lightly_active_minutes: perType("lightly_active_minutes"),
          sedentary_minutes: perType("sedentary_minutes"),
        },
      },
      timeZone: settings.timeZone && ianaZone(settings.timeZone) ? settings.timeZone : undefined,
      logsStored: !(outcomes.logs instanceof ProviderError) && !logsRefused,
      // Every branch answered, with nothing at all.
      noData: read === 0 && errors.length === 0,
    };
  }

  /**
   * Hands the records tracking has not seen over, and remembers them. A record is known
   * by its provider id, or by its start instant when any provider (the legacy one before
   * a child moved over) already delivered one for the child and kind: a period both
   * providers report is stored once. Records tracking refused for a transient reason
   * (5xx) are not remembered, so the next sync offers them again. Returns how many new
   * records were handed over.
   */
  private async handOver(
    provider: string,
    childId: string,
    kind: Branch,
    items: SourceItem<unknown>[],
  ): Promise<number> {
    const key = { provider, childId, kind };
    // Tracking echoes a refused item in its own output format (tracking.md §1.7), so items
    // are matched by instant: the one field both sides agree on (it makes the 409 too).
    const instantOf = (item: unknown) => {
      const record = item as Record<string, unknown> | undefined;
      const text = kind === "weights" ? record?.timestamp : record?.start_time;
      return typeof text === "string" ? toInstant(text, UTC) : undefined;
    };
    const keyed = items.map((i) => ({ ...i, startedAt: instantOf(i.item) }));
    const known = await knownItems(this.deps.db, key, keyed);
    const fresh: typeof keyed = [];
    // Records another provider already delivered are remembered under this provider's ids.
    const alsoKnown: ItemKey[] = [];
    const instants = new Set<number>();
    for (const item of keyed) {
      if (known.ids.has(item.externalId)) continue;
      if (item.startedAt !== undefined) {
        if (known.instants.has(item.startedAt)) {
          alsoKnown.push(item);
          continue;
        }
        // Two records starting together: tracking keeps one (409), so offer one.
        if (instants.has(item.startedAt)) continue;
        instants.add(item.startedAt);
      }
      fresh.push(item);
    }
    if (alsoKnown.length > 0) await markItems(this.deps.db, key, alsoKnown, this.deps.now());
    if (fresh.length === 0) return 0;
    const ingest = this.deps.ingest;
    const payload = fresh.map((i) => i.item);
    const result: IngestResult = kind === "activities"
      ? await ingest.physicalActivities(childId, payload)
      : kind === "sleep"
      ? await ingest.sleep(childId, payload)
      : await ingest.weights(childId, payload);
    this.reportRefused(childId, kind, result);
    const transient = new Set(
      result.error.filter((e) => e.code >= 500).map((e) => instantOf(e.item)),
    );
    const handed = fresh.filter((i) => !transient.has(i.startedAt));
    await markItems(this.deps.db, key, handed, this.deps.now());
    return handed.length;
  }

  /**
   * Logs what tracking refused (tracking.md §12.3: results are only logged): 409s are the
   * normal second line of de-duplication; anything else means the mapping and tracking
   * disagree (400) or storage failed (500). Only codes and messages, never the items.
   */
  private reportRefused(childId: string, kind: DataKind, result: IngestResult): void {
    const refused = result.error.filter((e) => e.code !== 409);
    if (refused.length === 0) return;
    const distinct = new Map(
      refused.map(({ code, message, description }) => [
        `${code} ${message} ${description ?? ""}`,
        { code, message, ...(description !== undefined && { description }) },
      ]),
    );
    this.deps.log.warn("tracking refused synced items", {
      child_id: childId,
      kind,
      stored: result.success.length,
      refused: refused.length,
      errors: [...distinct.values()].slice(0, REFUSALS_LOGGED),
    });
  }
}

/** How many refused items are described in one log line. */
const REFUSALS_LOGGED = 5;

/**
 * The tokens one sync uses. A call failing with an expired or invalid access token is
 * retried once with a renewed pair (the persisted one if another caller already moved
 * on, else a single-flight refresh); concurrent branches share that renewal.
 */
class TokenSession {
  private renewal?: Promise<Connection>;

  constructor(private readonly keeper: TokenKeeper, public connection: Connection) {}

  async fresh(): Promise<Connection> {
    return this.connection = await this.keeper.fresh(this.connection);
  }

  async force(): Promise<Connection> {
    return this.connection = await this.keeper.refresh(this.connection);
  }

  async call<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const used = this.connection;
    try {
      return await work(used);
    } catch (error) {
      if (
        !(error instanceof ProviderError) ||
        (error.kind !== "token_expired" && error.kind !== "token_invalid")
      ) throw error;
      if (this.connection.row.tokenVersion === used.row.tokenVersion) {
        this.renewal ??= this.keeper.renew(used);
        this.connection = await this.renewal;
      }
      return await work(this.connection);
    }
  }
}
