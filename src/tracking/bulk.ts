import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../core/context.ts";
import { ApiError, errors, isUniqueViolation } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import { Status } from "../core/status.ts";
import type { ReportOptions } from "../core/validation/reduce.ts";
import { validateValue } from "../core/validation/validator.ts";
import type { Database, Transaction } from "../db/client.ts";
import type { OwnerCheck } from "./common/owner.ts";
import type { BulkBody } from "./common/schema.ts";
import type { IngestResult } from "./ingest.ts";

/**
 * Storing one or many items of a tracking resource: the single code path of every
 * tracking POST and of the Fitbit ingest (tracking.md §1.6, §1.7, §12.3).
 */

/** What the bulk path needs to know about a resource, for one owner (child or institution). */
export interface BulkResource<Item> {
  /** Whether the owner (child or institution) still exists, asked in the writing transaction. */
  owner: OwnerCheck;
  /** The item schema: the same one a single-object POST is validated with. */
  schema: z.ZodType<Item>;
  /** How the schema's collected issues are reported, when not the default. */
  options?: ReportOptions;
  /** The element as validated: path values (`child_id`, …) put in place over the body's. */
  prepare(element: unknown): unknown;
  /** The element as the service understood it (§1.7), for error entries after phase A. */
  echo(element: unknown): unknown;
  /** Stores one valid item and returns its view; throws an ApiError (409) for a duplicate. */
  store(tx: Transaction, item: Item): Promise<unknown>;
  /**
   * Stores all valid items at once, in input order: each item's view, or undefined for
   * one refused as a duplicate (its key taken by a stored record or an earlier item: the
   * resource's `conflict`; an upsert refuses none). A few set-based statements instead of
   * a savepoint, a duplicate check and an insert per item (a 12-month Fitbit log series,
   * a large batch of activities). Should it fail, the items are stored one by one with
   * `store`, so only a failing item fails.
   */
  insertMany?(tx: Transaction, items: Item[]): Promise<(unknown | undefined)[]>;
  /** The 409 of this resource, for a duplicate the unique index caught (none: upserts). */
  conflict?: () => ApiError;
}

/** What happened to one element. */
export type ItemOutcome =
  | { ok: true; view: unknown }
  | { ok: false; error: ApiError; item: unknown; read: boolean };

/**
 * Validates every element, then stores the valid ones in input order inside one
 * transaction. Each item is stored under its own savepoint, so a failing item leaves
 * nothing behind, and an item stored earlier makes a later identical one a 409. The
 * transaction first checks that the owner still exists: when a deletion committed since
 * the access check, nothing is stored and every valid item reports the owner's 400.
 */
export async function storeItems<Item>(
  db: Database,
  resource: BulkResource<Item>,
  elements: unknown[],
  log?: Logger,
): Promise<ItemOutcome[]> {
  const checked = elements.map((element) => ({
    element,
    result: validateValue(resource.schema, resource.prepare(element), resource.options),
  }));
  const outcomes: ItemOutcome[] = checked.map(({ element, result }) =>
    result.ok ? { ok: true, view: undefined } : {
      ok: false,
      error: result.error,
      read: result.read,
      item: result.read ? element : resource.echo(element),
    }
  );
  const valid = checked.flatMap(({ element, result }, index) =>
    result.ok ? [{ index, element, item: result.value }] : []
  );
  if (valid.length === 0) return outcomes;
  await db.transaction(async (tx) => {
    const ownerGone = await resource.owner(tx);
    if (ownerGone) {
      for (const { index, element } of valid) {
        outcomes[index] = {
          ok: false,
          error: ownerGone,
          read: false,
          item: resource.echo(element),
        };
      }
      return;
    }
    if (resource.insertMany && await insertAll(tx, resource, valid, outcomes)) return;
    for (const { index, element, item } of valid) {
      outcomes[index] = await storeOne(tx, resource, item, element, log);
    }
  });
  return outcomes;
}

/** `insertMany` under one savepoint; false (nothing kept) when it failed. */
async function insertAll<Item>(
  tx: Transaction,
  resource: BulkResource<Item>,
  valid: { index: number; element: unknown; item: Item }[],
  outcomes: ItemOutcome[],
): Promise<boolean> {
  let views: (unknown | undefined)[];
  try {
    views = await tx.transaction((savepoint) =>
      resource.insertMany!(savepoint, valid.map(({ item }) => item))
    );
  } catch {
    return false;
  }
  valid.forEach(({ index, element }, i) =>
    outcomes[index] = views[i] !== undefined ? { ok: true, view: views[i] } : {
      ok: false,
      error: resource.conflict?.() ?? errors.internal(),
      read: false,
      item: resource.echo(element),
    }
  );
  return true;
}

async function storeOne<Item>(
  tx: Transaction,
  resource: BulkResource<Item>,
  item: Item,
  element: unknown,
  log?: Logger,
): Promise<ItemOutcome> {
  try {
    return { ok: true, view: await tx.transaction((savepoint) => resource.store(savepoint, item)) };
  } catch (error) {
    let known = error instanceof ApiError ? error : undefined;
    if (!known && resource.conflict && isUniqueViolation(error)) known = resource.conflict();
    if (!known) {
      log?.error("tracking item not stored", {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    return {
      ok: false,
      error: known ?? errors.internal(),
      read: false,
      item: resource.echo(element),
    };
  }
}

/**
 * The 207 body (§1.7): successes in input order; errors from validation, 409 and storage
 * in input order, then the read-phase (DATETIME) failures in input order.
 */
export function multiStatus(outcomes: ItemOutcome[]): IngestResult {
  const failed = outcomes.filter((o) => !o.ok);
  return {
    success: outcomes.flatMap((o) => o.ok ? [{ code: Status.CREATED, item: o.view }] : []),
    error: [...failed.filter((o) => !o.read), ...failed.filter((o) => o.read)].map((o) => ({
      ...o.error.toBody(),
      item: o.item,
    })),
  };
}

/** Answers a bulk-capable POST: an array gets 207, a single object 201 or its error. */
export async function answerBulk<Item>(
  c: Context<AppEnv>,
  deps: { db: Database; log: Logger },
  resource: BulkResource<Item>,
  body: BulkBody,
) {
  const outcomes = await storeItems(deps.db, resource, body.items, deps.log);
  if (body.many) return c.json(multiStatus(outcomes), Status.MULTI_STATUS);
  const [only] = outcomes;
  if (!only.ok) throw only.error;
  return c.json(only.view, Status.CREATED);
}
