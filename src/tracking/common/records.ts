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
import { type Executor, sqlRows } from "../../db/client.ts";

/** A tracking table whose records have an id and belong to one owner (a child). */
type OwnedTable = SQLiteTable & { id: SQLiteColumn };

/**
 * How SQLite writes the resource's view (json-sql.ts): the item's JSON expression, and
 * the condition selecting the child's rows with one `?` for the child id.
 */
export interface JsonView {
  item: string;
  owned: string;
}

/** One page as JSON text, with the child's total. */
export interface JsonPage {
  page: string;
  total: number;
}

/**
 * The four reads and writes every child-owned tracking collection shares: one page of a
 * child's records filtered and sorted in SQL, the child's unfiltered total, one record by
 * id (the query's filters also apply), and deleting one record. `owned` scopes a query to
 * the child (and, for measurements, to the kind).
 *
 * With a `json` view, the plain page (no filter, window or sort) and the read by id
 * without filters are also offered as JSON text written by SQLite, each one fixed
 * statement (`listJson`, `findJson`); they answer undefined when the JavaScript view must
 * answer instead (another query, or a value SQLite cannot write exactly).
 */
export function childRecords<T extends OwnedTable>(
  table: T,
  owned: (childId: string) => SQL | undefined,
  spec: (now: number) => ListSpec,
  json?: JsonView,
) {
  type Row = T["$inferSelect"];
  const from = (db: Executor) => db.select().from(table as SQLiteTable);
  const name = getTableName(table);
  // The default order of listQuerySql: newest registration first, then latest inserted.
  const pageSql = json &&
    `SELECT (SELECT count(*) FROM ${name} WHERE ${json.owned}), group_concat(item, ','), ` +
      `count(*) - count(item) FROM (SELECT ${json.item} AS item FROM ${name} WHERE ${json.owned} ` +
      `ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?)`;
  const oneSql = json && `SELECT ${json.item} FROM ${name} WHERE ${json.owned} AND id = ? LIMIT 1`;
  const fixed = spec(0);
  return {
    /** One page (a query builder: await it for the rows; the volume test reads its plan). */
    list(db: Executor, childId: string, query: SqlListQuery, now: number) {
      const plan = listQuerySql(query, spec(now));
      return from(db).where(and(owned(childId), plan.where))
        .orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
    },
    /** How many records the child has (`X-Total-Count`: filters do not apply). */
    async count(db: Executor, childId: string): Promise<number> {
      const [{ count }] = await db.select({ count: sql<number>`count(*)` })
        .from(table as SQLiteTable).where(owned(childId));
      return count;
    },
    /** The child's record with this id, if the query's filters also hold. */
    async find(
      db: Executor,
      childId: string,
      id: string,
      query: SqlListQuery,
      now: number,
    ): Promise<Row | undefined> {
      const rows = await from(db)
        .where(and(owned(childId), eq(table.id, id), filtersSql(query, spec(now)))).limit(1);
      return rows[0] as Row | undefined;
    },
    /** Deletes the child's record with this id, if any. */
    async remove(db: Executor, childId: string, id: string): Promise<void> {
      await db.delete(table as SQLiteTable).where(and(owned(childId), eq(table.id, id)));
    },
    /** The plain page as JSON text with the total; undefined for the JavaScript path. */
    listJson: pageSql
      ? async (
        db: Executor,
        childId: string,
        query: SqlListQuery,
      ): Promise<JsonPage | undefined> => {
        if (!isPlainPage(query, fixed)) return undefined;
        const [row] = await sqlRows(db, pageSql, [childId, childId, query.limit, query.offset]);
        if (row[2] !== 0) return undefined;
        // The brackets are added here: in SQL they would copy the whole page twice.
        return { total: row[0] as number, page: `[${(row[1] as string | null) ?? ""}]` };
      }
      : undefined,
    /**
     * The record by id as JSON text, null when the child has no such record; undefined
     * for the JavaScript path.
     */
    findJson: oneSql
      ? async (
        db: Executor,
        childId: string,
        id: string,
        query: SqlListQuery,
      ): Promise<string | null | undefined> => {
        if (!hasNoFilters(query, fixed)) return undefined;
        const [row] = await sqlRows(db, oneSql, [childId, id]);
        if (!row) return null;
        return (row[0] as string | null) ?? undefined;
      }
      : undefined,
  };
}
