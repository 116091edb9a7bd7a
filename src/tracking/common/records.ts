import { and, eq, getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  filtersSql,
  hasNoFilters,
  isPlainPage,
  listQuerySql,
  type ListSpec,
  type SqlListQuery,
} from "../../core/list-query-sql.ts";
import { type Executor, sqlRows, type SqlValue } from "../../db/client.ts";

/** A tracking table whose records have an id and belong to one owner (child, institution). */
type OwnedTable = SQLiteTable & { id: SQLiteColumn };

/**
 * How SQLite writes the resource's view (json-sql.ts): the item's JSON expression, and
 * the condition selecting the owner's rows with one `?` for the owner id.
 */
export interface JsonView {
  item: string;
  owned: string;
}

/** One page as JSON text, with the owner's total. */
export interface JsonPage {
  page: string;
  total: number;
}

/** A drizzle query, run here by its text (`sqlRows`) so that no row object is built. */
interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] };
}

/** The name of the item column in the queries below. */
const ITEM = "page_item";

/** The one select field of a JSON query: the view's JSON expression (json-sql.ts). */
export const jsonItem = (item: string) => sql<string | null>`${sql.raw(item)}`.as(ITEM);

/**
 * A page written by SQLite: the items of `query` (selecting `jsonItem` only, with its
 * filters, order, limit and offset) as one JSON array text, in the query's order (the
 * aggregate reads the ordered, limited subquery row by row); undefined when an item is
 * NULL (a value SQLite cannot write exactly: the JavaScript view answers). The brackets
 * are added here: in SQL they would copy the page twice.
 */
async function jsonPage(db: Executor, query: BuiltQuery): Promise<string | undefined> {
  const inner = query.toSQL();
  const [row] = await sqlRows(
    db,
    `SELECT group_concat(${ITEM}, ','), count(*) - count(${ITEM}) FROM (${inner.sql})`,
    inner.params as SqlValue[],
  );
  return pageText(row[0], row[1]);
}

/** The page from its joined items and how many were NULL (any: undefined). */
function pageText(items: unknown, unwritten: unknown): string | undefined {
  return unwritten === 0 ? `[${(items as string | null) ?? ""}]` : undefined;
}

/** A record's text from its row (none: null; NULL: undefined). */
function recordText(row: ArrayLike<unknown> | undefined): string | null | undefined {
  return row ? (row[0] as string | null) ?? undefined : null;
}

/** `jsonPage` with the owner's total (`X-Total-Count`), read only when the page is exact. */
export async function jsonListPage(
  db: Executor,
  query: BuiltQuery,
  total: () => Promise<number>,
): Promise<JsonPage | undefined> {
  const page = await jsonPage(db, query);
  return page === undefined ? undefined : { page, total: await total() };
}

/**
 * One record written by SQLite (`query` selects `jsonItem` with a limit of 1): its text,
 * null when there is no such record, undefined when SQLite cannot write it exactly.
 */
export async function jsonRecord(
  db: Executor,
  query: BuiltQuery,
): Promise<string | null | undefined> {
  const { sql, params } = query.toSQL();
  return recordText((await sqlRows(db, sql, params as SqlValue[]))[0]);
}

/**
 * The four reads and writes every tracking collection shares: one page of an owner's
 * records filtered and sorted in SQL, the owner's unfiltered total, one record by id (the
 * query's filters also apply), and deleting one record. `owned` scopes a query to the
 * owner, a child or an institution (and, for measurements, to the kind).
 */
export function ownedRecords<T extends OwnedTable>(
  table: T,
  owned: (ownerId: string) => SQL | undefined,
  spec: (now: number) => ListSpec,
) {
  type Row = T["$inferSelect"];
  const from = (db: Executor) => db.select().from(table as SQLiteTable);
  const list = (db: Executor, ownerId: string, query: SqlListQuery, now: number) => {
    const plan = listQuerySql(query, spec(now));
    return from(db).where(and(owned(ownerId), plan.where))
      .orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
  };
  /** How many records the owner has (`X-Total-Count`: filters do not apply). */
  const count = async (db: Executor, ownerId: string): Promise<number> => {
    const [{ count }] = await db.select({ count: sql<number>`count(*)` })
      .from(table as SQLiteTable).where(owned(ownerId));
    return count;
  };
  return {
    /** One page (a query builder: await it for the rows; the volume test reads its plan). */
    list,
    count,
    /** The owner's record with this id, if the query's filters also hold. */
    async find(
      db: Executor,
      ownerId: string,
      id: string,
      query: SqlListQuery,
      now: number,
    ): Promise<Row | undefined> {
      const rows = await from(db)
        .where(and(owned(ownerId), eq(table.id, id), filtersSql(query, spec(now)))).limit(1);
      return rows[0] as Row | undefined;
    },
    /** Deletes the owner's record with this id, if any. */
    async remove(db: Executor, ownerId: string, id: string): Promise<void> {
      await db.delete(table as SQLiteTable).where(and(owned(ownerId), eq(table.id, id)));
    },
  };
}

/**
 * `ownedRecords` whose pages and reads by id are also offered as JSON text written by
 * SQLite (`listJson`, `findJson`): the same queries with the item written in SQL, the
 * plain page (no filter, window or sort) and the read without filters as one fixed
 * statement each (prepared once). They answer undefined when the JavaScript view must
 * answer instead (a value SQLite cannot write exactly).
 */
export function ownedJsonRecords<T extends OwnedTable>(
  table: T,
  owned: (ownerId: string) => SQL | undefined,
  spec: (now: number) => ListSpec,
  json: JsonView,
) {
  const records = ownedRecords(table, owned, spec);
  const fixed = spec(0);
  const name = getTableName(table);
  // The default order of listQuerySql: newest registration first, then latest inserted.
  const plainPage = `SELECT (SELECT count(*) FROM ${name} WHERE ${json.owned}), ` +
    `group_concat(item, ','), count(*) - count(item) FROM (SELECT ${json.item} AS item ` +
    `FROM ${name} WHERE ${json.owned} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?)`;
  const plainRecord = `SELECT ${json.item} FROM ${name} WHERE ${json.owned} AND id = ? LIMIT 1`;
  const select = (db: Executor) => db.select({ item: jsonItem(json.item) }).from(table);
  return {
    ...records,
    /** A page as JSON text with the owner's total; undefined for the JavaScript view. */
    async listJson(
      db: Executor,
      ownerId: string,
      query: SqlListQuery,
      now: number,
    ): Promise<JsonPage | undefined> {
      if (isPlainPage(query, fixed)) {
        const [row] = await sqlRows(db, plainPage, [ownerId, ownerId, query.limit, query.offset]);
        const page = pageText(row[1], row[2]);
        return page === undefined ? undefined : { page, total: row[0] as number };
      }
      const plan = listQuerySql(query, spec(now));
      return await jsonListPage(
        db,
        select(db).where(and(owned(ownerId), plan.where)).orderBy(...plan.orderBy)
          .limit(plan.limit).offset(plan.offset),
        () => records.count(db, ownerId),
      );
    },
    /**
     * The record by id as JSON text if the query's filters also hold, null when the owner
     * has no such record; undefined for the JavaScript view.
     */
    async findJson(
      db: Executor,
      ownerId: string,
      id: string,
      query: SqlListQuery,
      now: number,
    ): Promise<string | null | undefined> {
      if (hasNoFilters(query, fixed)) {
        return recordText((await sqlRows(db, plainRecord, [ownerId, id]))[0]);
      }
      return await jsonRecord(
        db,
        select(db).where(and(owned(ownerId), eq(table.id, id), filtersSql(query, spec(now))))
          .limit(1),
      );
    },
  };
}
