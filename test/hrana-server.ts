import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { serveLoopback } from "./loopback.ts";

/**
 * A small libSQL server for tests: Hrana 2 over HTTP (`POST /v2/pipeline`, JSON), the
 * protocol `@libsql/client` speaks to `http://`/`libsql://` URLs, on top of one local
 * SQLite file. No sqld binary can be installed here, so the remote-URL path is tested
 * against this instead. It is written from the protocol's message shapes and implements
 * what the client sends: execute, batch (with step conditions), sequence, describe,
 * store_sql/close_sql, get_autocommit and close, with batons tying requests to streams.
 *
 * Each stream is one SQLite connection. A stream inside a transaction holds the server's
 * lock until it commits, rolls back or closes; other streams wait for it (asynchronously),
 * as sqld makes a second writer wait, instead of failing on the locked file.
 */
export class HranaServer {
  /** Pipeline requests served (a test can see the remote path was really used). */
  pipelines = 0;
  private readonly streams = new Map<string, Stream>();
  private lockHolder: Stream | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly path: string,
    private readonly token: string | undefined,
    private readonly server: Deno.HttpServer,
    readonly url: string,
  ) {}

  /** Serves the SQLite file at `path` on a free loopback port; with `token`, requires it. */
  static start(path: string, token?: string): HranaServer {
    const created: { server?: HranaServer } = {};
    const { server, url } = serveLoopback((request) => created.server!.handle(request));
    return created.server = new HranaServer(path, token, server, url);
  }

  /** Stops serving and closes every stream's connection. */
  async close(): Promise<void> {
    await this.server.shutdown();
    for (const stream of this.streams.values()) stream.db.close();
    this.streams.clear();
  }

  private async handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (this.token !== undefined) {
      if (request.headers.get("Authorization") !== `Bearer ${this.token}`) {
        await request.body?.cancel();
        return Response.json({ error: "Unauthorized" }, { status: 401 });
      }
    }
    if (request.method === "GET" && pathname === "/v2") return new Response("");
    if (request.method !== "POST" || pathname !== "/v2/pipeline") {
      await request.body?.cancel();
      return new Response("Not Found", { status: 404 });
    }
    const body = await request.json() as { baton?: string | null; requests: StreamRequest[] };
    this.pipelines++;
    let stream: Stream;
    if (body.baton) {
      const found = this.streams.get(body.baton);
      if (!found) return Response.json({ error: "unknown baton" }, { status: 400 });
      this.streams.delete(body.baton);
      stream = found;
    } else {
      stream = { db: this.open(), sqls: new Map() };
    }
    if (this.lockHolder !== stream) await this.acquire(stream);
    const results = [];
    let closed = false;
    for (const req of body.requests) {
      if (req.type === "close") {
        closed = true;
        results.push({ type: "ok", response: { type: "close" } });
        continue;
      }
      try {
        results.push({ type: "ok", response: this.run(stream, req) });
      } catch (error) {
        results.push({ type: "error", error: toError(error) });
      }
    }
    let baton: string | null = null;
    if (closed) {
      if (stream.db.isTransaction) stream.db.exec("ROLLBACK");
      stream.db.close();
    } else {
      baton = crypto.randomUUID();
      this.streams.set(baton, stream);
    }
    // The lock stays with a stream whose transaction is still open.
    if (closed || !stream.db.isTransaction) this.release(stream);
    return Response.json({ baton, base_url: null, results });
  }

  private open(): DatabaseSync {
    const db = new DatabaseSync(this.path);
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    return db;
  }

  private async acquire(stream: Stream): Promise<void> {
    while (this.lockHolder !== undefined && this.lockHolder !== stream) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.lockHolder = stream;
  }

  private release(stream: Stream): void {
    if (this.lockHolder !== stream) return;
    this.lockHolder = undefined;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private run(stream: Stream, req: StreamRequest): unknown {
    switch (req.type) {
      case "execute":
        return { type: "execute", result: execute(stream, req.stmt!) };
      case "batch":
        return { type: "batch", result: batch(stream, req.batch!) };
      case "sequence":
        stream.db.exec(sqlOf(stream, req));
        return { type: "sequence" };
      case "describe": {
        const statement = stream.db.prepare(sqlOf(stream, req));
        return {
          type: "describe",
          result: {
            params: [],
            cols: statement.columns().map((c) => ({ name: c.name, decltype: c.type })),
            is_explain: /^\s*explain\b/i.test(sqlOf(stream, req)),
            is_readonly: /^\s*(select|with|explain)\b/i.test(sqlOf(stream, req)),
          },
        };
      }
      case "store_sql":
        stream.sqls.set(req.sql_id!, req.sql!);
        return { type: "store_sql" };
      case "close_sql":
        stream.sqls.delete(req.sql_id!);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !stream.db.isTransaction };
      default:
        throw new HranaError(`unknown request type ${(req as { type: string }).type}`);
    }
  }
}

interface Stream {
  db: DatabaseSync;
  sqls: Map<number, string>;
}

interface Value {
  type: "null" | "integer" | "float" | "text" | "blob";
  value?: string | number;
  base64?: string;
}

interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}

type Condition =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: Condition }
  | { type: "and" | "or"; conds: Condition[] }
  | { type: "is_autocommit" };

interface StreamRequest {
  type: string;
  stmt?: Stmt;
  batch?: { steps: { condition?: Condition; stmt: Stmt }[] };
  sql?: string;
  sql_id?: number;
}

class HranaError extends Error {}

function sqlOf(stream: Stream, source: { sql?: string; sql_id?: number }): string {
  const sql = source.sql ?? (source.sql_id !== undefined ? stream.sqls.get(source.sql_id) : "");
  if (sql === undefined) throw new HranaError(`unknown sql_id ${source.sql_id}`);
  return sql;
}

function execute(stream: Stream, stmt: Stmt) {
  const statement: StatementSync = stream.db.prepare(sqlOf(stream, stmt));
  statement.setReadBigInts(true);
  // Rows as arrays: joins repeat column names. (Missing from the bundled node:sqlite types.)
  (statement as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  const positional = (stmt.args ?? []).map(fromValue);
  const named: Record<string, SQLInputValue> = {};
  for (const arg of stmt.named_args ?? []) named[arg.name] = fromValue(arg.value);
  const params = (stmt.named_args?.length ? [named, ...positional] : positional) as [
    SQLInputValue,
  ];
  const cols = statement.columns().map((c) => ({ name: c.name, decltype: c.type }));
  // total_changes() moves only with this statement's writes (changes() would repeat the
  // count of an earlier write after a SELECT).
  const before = totalChanges(stream.db);
  const rows = cols.length > 0
    ? (statement.all(...params) as unknown as unknown[][]).map((row) => row.map(toValue))
    : [];
  const run = cols.length > 0 ? undefined : statement.run(...params);
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rows,
    affected_row_count: totalChanges(stream.db) - before,
    last_insert_rowid: run ? String(run.lastInsertRowid) : null,
  };
}

function totalChanges(db: DatabaseSync): number {
  return Number((db.prepare("SELECT total_changes() AS n").get() as { n: number }).n);
}

function batch(stream: Stream, body: { steps: { condition?: Condition; stmt: Stmt }[] }) {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const holds = (condition: Condition): boolean => {
    switch (condition.type) {
      case "ok":
        return results[condition.step] != null;
      case "error":
        return errors[condition.step] != null;
      case "not":
        return !holds(condition.cond);
      case "and":
        return condition.conds.every(holds);
      case "or":
        return condition.conds.some(holds);
      case "is_autocommit":
        return !stream.db.isTransaction;
    }
  };
  for (const step of body.steps) {
    results.push(null);
    errors.push(null);
    if (step.condition && !holds(step.condition)) continue;
    try {
      results[results.length - 1] = execute(stream, step.stmt);
    } catch (error) {
      errors[errors.length - 1] = toError(error);
    }
  }
  return { step_results: results, step_errors: errors };
}

function fromValue(value: Value): SQLInputValue {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value as string);
    case "float":
      return Number(value.value);
    case "text":
      return String(value.value);
    case "blob":
      return Uint8Array.from(atob(value.base64 ?? ""), (c) => c.charCodeAt(0));
  }
}

function toValue(value: unknown): Value {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: String(value) };
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) {
    return { type: "blob", base64: btoa(String.fromCharCode(...value)) };
  }
  throw new HranaError(`unsupported value ${typeof value}`);
}

function toError(error: unknown): { message: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { errstr?: string; code?: string }).code;
  return { message, code: /^SQLITE_/.test(code ?? "") ? code : "SQLITE_ERROR" };
}
