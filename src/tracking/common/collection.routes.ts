import { Hono } from "hono";
import type { z } from "zod";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { type SqlListQuery, sqlListQuerySchema } from "../../core/list-query-sql.ts";
import { listResponse, noContent, pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate } from "../../core/validation/validator.ts";
import type { Executor } from "../../db/client.ts";
import { answerBulk, type BulkResource } from "../bulk.ts";
import { trackingErrors } from "./errors.ts";
import { bulkBody } from "./schema.ts";

/**
 * A tracking collection owned by a child or an institution: what the shared routes
 * need to answer POST (object or array), GET list, GET by id, PATCH (405) and DELETE.
 */
export interface Collection<Row, Item> {
  /** The owner's path parameter. */
  owner: "child_id" | "institution_id";
  /** The collection's path segment, e.g. `physicalactivities`. */
  segment: string;
  /** The item id's path parameter, e.g. `physicalactivity_id`. */
  idParam: string;
  /** The item schema (validation and the API reference). */
  item: z.ZodType;
  /** The bulk path for one owner. */
  bulk(ownerId: string, now: number): BulkResource<Item>;
  list(db: Executor, ownerId: string, query: SqlListQuery, now: number): Promise<Row[]>;
  count(db: Executor, ownerId: string): Promise<number>;
  view(row: Row): unknown;
  remove(db: Executor, ownerId: string, id: string): Promise<void>;
  /** GET by id; the resource's name for its 404 (`Sleep not found!`). */
  find?: {
    one(db: Executor, ownerId: string, id: string, query: SqlListQuery, now: number): Promise<
      Row | undefined
    >;
    name: string;
  };
  /** PATCH by id answers 405 (tracking.md §3.5). */
  discontinuedPatch?: boolean;
}

/**
 * The routes of a collection, relative to where it is mounted (`/v1/children` or
 * `/v1/institutions`). Access rules are in access/permissions.ts.
 */
export function collectionRoutes<Row, Item>(deps: Deps, collection: Collection<Row, Item>) {
  const { db, now } = deps;
  const all = `/:${collection.owner}/${collection.segment}`;
  const one = `${all}/:${collection.idParam}`;
  const owner = (c: Parameters<typeof pathParam>[0]) => pathParam(c, collection.owner);
  const app = new Hono<AppEnv>()
    .post(
      all,
      validate("json", bulkBody(collection.item)),
      (c) => answerBulk(c, deps, collection.bulk(owner(c), now()), c.req.valid("json")),
    )
    .get(all, validate("query", sqlListQuerySchema), async (c) => {
      const ownerId = owner(c);
      const [rows, total] = await Promise.all([
        collection.list(db, ownerId, c.req.valid("query"), now()),
        collection.count(db, ownerId),
      ]);
      return listResponse(c, rows.map(collection.view), total);
    })
    .delete(one, async (c) => {
      await collection.remove(db, owner(c), pathParam(c, collection.idParam));
      return noContent(c);
    });
  const find = collection.find;
  if (find) {
    app.get(one, validate("query", sqlListQuerySchema), async (c) => {
      const row = await find.one(
        db,
        owner(c),
        pathParam(c, collection.idParam),
        c.req.valid("query"),
        now(),
      );
      if (!row) throw errors.notFound(find.name);
      return c.json(collection.view(row), Status.OK);
    });
  }
  if (collection.discontinuedPatch) {
    app.patch(one, () => {
      throw trackingErrors.discontinued();
    });
  }
  return app;
}
