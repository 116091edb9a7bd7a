import { sql } from "drizzle-orm";
import { Hono } from "hono";
import denoJson from "../../deno.json" with { type: "json" };
import type { AppEnv, Deps } from "../core/context.ts";
import { Status } from "../core/status.ts";
import { buildOpenApi } from "./openapi.ts";
import { referenceRoutes } from "./reference.ts";

/** The service version, from deno.json. */
export const VERSION = denoJson.version;

/**
 * Home, health, the OpenAPI document and the reference page. `documented` is the app
 * whose routes the document describes (the whole app, once assembled).
 */
export function platformRoutes({ db, log }: Deps, documented: () => Hono<AppEnv>) {
  let document: ReturnType<typeof buildOpenApi> | undefined;
  return new Hono<AppEnv>()
    .get("/", (c) => c.redirect("/v1/reference", Status.FOUND))
    .get("/v1", (c) => c.json({ name: "OCARIoT platform API", version: VERSION, status: "up" }))
    .get("/health", async (c) => {
      try {
        await db.run(sql`select 1`);
        return c.json({ status: "ok", database: "reachable" }, Status.OK);
      } catch (error) {
        log.error("health check failed", { error: String(error) });
        return c.json({ status: "error", database: "unreachable" }, Status.SERVICE_UNAVAILABLE);
      }
    })
    .get("/v1/openapi.json", (c) => c.json(document ??= buildOpenApi(documented(), VERSION)))
    .route("/", referenceRoutes("/v1/openapi.json"));
}
