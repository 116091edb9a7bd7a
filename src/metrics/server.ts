import { count, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { wearableRevocations } from "../db/schema/index.ts";
import { databaseSize, recordRevocationQueue, registry } from "./metrics.ts";

/**
 * The Prometheus text exposition of this process, with the database gauges read now.
 * A gauge whose query fails (database unreachable) reads NaN.
 */
export async function scrape(db: Database): Promise<string> {
  try {
    const rows = await db.select({ state: wearableRevocations.state, n: count() })
      .from(wearableRevocations).groupBy(wearableRevocations.state);
    const of = (state: string) => rows.find((row) => row.state === state)?.n ?? 0;
    recordRevocationQueue(of("pending"), of("failed"));
  } catch {
    recordRevocationQueue(NaN, NaN);
  }
  try {
    const [row] = await db.all<{ bytes: number }>(
      sql`SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()`,
    );
    databaseSize.set(Number(row.bytes));
  } catch {
    databaseSize.set(NaN);
  }
  return await registry.metrics();
}

/**
 * The handler of the metrics listener: `GET /metrics` only. It runs on a port of its own
 * (METRICS_PORT, loopback by default), never behind the API's reverse proxy.
 */
export function metricsHandler(db: Database): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== "/metrics") return new Response("Not Found\n", { status: 404 });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method Not Allowed\n", { status: 405, headers: { Allow: "GET" } });
    }
    return new Response(await scrape(db), {
      headers: { "Content-Type": registry.contentType },
    });
  };
}
