import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import type { Logger } from "./log.ts";
import { Status } from "./status.ts";

/**
 * One structured access line per request, with a request id (also sent back as
 * `X-Request-Id`). Never logs headers, bodies or query values that could hold secrets.
 */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    await next();
    setHeaders(c, [["X-Request-Id", requestId]]);
    log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      user: c.get("caller")?.sub,
    });
  };
}

/**
 * Sets headers on the finished answer, in place. Hono's `c.header` copies a finished
 * response on every call (a fifth of a small request's time with ten headers); every
 * answer here is a response made for this request, whose headers may change. One whose
 * headers are immutable (a fetched response) is copied once, as `c.header` would.
 */
function setHeaders(c: Context, headers: readonly (readonly [string, string])[]): void {
  let target = c.res.headers;
  try {
    target.set(headers[0][0], headers[0][1]);
  } catch {
    c.header(headers[0][0], headers[0][1]);
    target = c.res.headers;
  }
  for (let i = 1; i < headers.length; i++) target.set(headers[i][0], headers[i][1]);
}

/** helmet 3's default headers, as the original sent them (gateway.md §5.5). */
const SECURITY_HEADERS = [
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Download-Options", "noopen"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-XSS-Protection", "1; mode=block"],
] as const;

/** helmet 3's default headers on every answer (gateway.md §5.5). */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setHeaders(c, SECURITY_HEADERS);
  };
}

const CORS_HEADERS = [
  ["Access-Control-Allow-Origin", "*"],
  ["Access-Control-Allow-Credentials", "true"],
  [
    "Access-Control-Expose-Headers",
    "Content-Type,x-ratelimit-limit,x-ratelimit-remaining,X-Total-Count",
  ],
] as const;

/**
 * CORS on every response; any OPTIONS request is answered here with 200 and an empty
 * body, before any token check (gateway.md §5.3).
 */
export function cors(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") {
      c.res = new Response(null, {
        status: Status.OK,
        headers: {
          "Content-Length": "0",
          "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS",
          "Access-Control-Allow-Headers": "Content-Type,Authorization,X-Requested-With,Accept",
        },
      });
    } else {
      await next();
    }
    setHeaders(c, CORS_HEADERS);
  };
}

/** Optional HTTP→HTTPS redirect: 301 to the same host on the HTTPS port (gateway.md §5.7). */
export function httpsRedirect(httpsPort: number): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.protocol === "https:" || c.req.method === "OPTIONS") return await next();
    const host = (c.req.header("Host") ?? url.host).replace(/:\d+$/, "");
    return c.body(null, Status.MOVED_PERMANENTLY, {
      Location: `https://${host}:${httpsPort}${url.pathname}${url.search}`,
    });
  };
}
