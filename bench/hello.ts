/**
 * The ceiling: a bare Hono hello-world on the same Deno and Hono as the service, in a
 * process of its own. `GET /health` answers too, so the bench starts it like the service.
 */
import { Hono } from "hono";

const app = new Hono()
  .get("/", (c) => c.json({ hello: "world" }))
  .get("/health", (c) => c.json({ status: "ok" }));

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 0),
  onListen: () => {},
}, app.fetch);
