import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../core/context.ts";
import { ApiError, errors, isUniqueViolation } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import { Status } from "../core/status.ts";
import type { ReportOptions } from "../core/validation/reduce.ts";
import { validateValue } from "../core/validation/validator.ts";
import type { Database, Transaction } from "../db/client.ts";
import type { BulkBody } from "./common/schema.ts";
import type { IngestResult } from "./ingest.ts";

/**
 * Storing one or many items of a tracking resource: the single code path of every
 * tracking POST and of the Fitbit ingest (tracking.md §1.6, §1.7, §12.3).
 */

/** What the bulk path needs to know about a resource, for one owner (child or institution). */
export interface BulkResource<Item> {
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
  /** The 409 of this resource, for a duplicate the unique index caught (none: upserts). */
  conflict?: () => ApiError;
  /**
   * Stores many valid items at once (a few statements instead of one per item) and returns
   * their views in order; throws when any item would fail, and the items are then stored
   * one by one to tell which. For long lists such as a year of daily logs.
   */
  storeMany?(tx: Transaction, items: Item[]): Promise<unknown[]>;
}

/** What happened to one element. */
export type ItemOutcome =
  | { ok: true; view: unknown }
  | { ok: false; error: ApiError; item: unknown; read: boolean };

/**
 * Validates every element, then stores the valid ones in input order inside one
 * transaction. Each item is stored under its own savepoint, so a failing item leaves
 * nothing behind, and an item stored earlier makes a later identical one a 409.
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
  if (!checked.some(({ result }) => result.ok)) return outcomes;
  await db.transaction(async (tx) => {
    if (resource.storeMany && await storeAll(tx, resource.storeMany, checked, outcomes)) return;
    for (const [index, { element, result }] of checked.entries()) {
      if (result.ok) outcomes[index] = await storeOne(tx, resource, result.value, element, log);
    }
  });
  return outcomes;
}

/** Stores every valid item in one go; false (and nothing stored) when one of them fails. */
async function storeAll<Item>(
  tx: Transaction,
  storeMany: (tx: Transaction, items: Item[]) => Promise<unknown[]>,
  checked: { result: { ok: true; value: Item } | { ok: false } }[],
  outcomes: ItemOutcome[],
): Promise<boolean> {
  const valid = checked.flatMap(({ result }, index) =>
    result.ok ? [{ index, item: result.value }] : []
  );
  try {
    const views = await tx.transaction((savepoint) =>
      storeMany(savepoint, valid.map((v) => v.item))
    );
    valid.forEach(({ index }, i) => outcomes[index] = { ok: true, view: views[i] });
    return true;
  } catch {
    return false;
  }
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
