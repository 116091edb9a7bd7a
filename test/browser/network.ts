/**
 * Keeps a browser test on this machine: every request of a browser context to a host
 * outside the loopback range is aborted before it leaves, and recorded so that the test
 * can assert that nothing tried.
 */
import type { BrowserContext } from "playwright-core";

/** What `blockNonLoopback` stopped, in order. */
export interface BlockedRequests {
  /** URLs of aborted HTTP(S) requests and refused WebSocket connections. */
  readonly urls: readonly string[];
}

/** Whether a URL's host is on this machine: 127.0.0.0/8, `localhost` or `[::1]`. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Routes every request of the context (pages, frames, workers it opens): loopback requests
 * go on unchanged, any other is aborted and its URL recorded. WebSockets likewise. Call it
 * before opening pages.
 */
export async function blockNonLoopback(context: BrowserContext): Promise<BlockedRequests> {
  const urls: string[] = [];
  await context.route(() => true, async (route) => {
    const url = route.request().url();
    if (isLoopback(new URL(url))) return await route.continue();
    urls.push(url);
    await route.abort("blockedbyclient");
  });
  await context.routeWebSocket(() => true, (socket) => {
    if (isLoopback(new URL(socket.url()))) return socket.connectToServer();
    urls.push(socket.url());
    return socket.close({ code: 1008, reason: "blocked by the test: not loopback" });
  });
  return { urls };
}
