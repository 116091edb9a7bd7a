import { and, eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  filtersSql,
  listQuerySql,
  type ListSpec,
  type SqlListQuery,
} from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";

/** A tracking table whose records have an id and belong to one owner (a child). */
type OwnedTable = SQLiteTable & { id: SQLiteColumn };

/**
 * The four reads and writes every child-owned tracking collection shares: one page of a
 * child's records filtered and sorted in SQL, the child's unfiltered total, one record by
 * id (the query's filters also apply), and deleting one record. `owned` scopes a query to
 * the child (and, for measurements, to the kind).
 */
export function childRecords<T extends OwnedTable>(
  table: T,
  owned: (childId: string) => SQL | undefined,
  spec: (now: number) => ListSpec,
) {
  type Row = T["$inferSelect"];
  const from = (db: Executor) => db.select().from(table as SQLiteTable);
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
  };
}
