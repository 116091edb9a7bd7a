/** Tests only: HTTP servers on loopback, for fakes and the app a test serves. */

/** A listening server and its base URL (`http://127.0.0.1:<port>`). */
export interface LoopbackServer {
  server: Deno.HttpServer<Deno.NetAddr>;
  url: string;
}

/**
 * Serves `handler` on 127.0.0.1 at `port` (0: a free one, chosen by the system). Deno
 * binds the socket before `Deno.serve` returns, so the server listens on return; a port
 * in use throws here.
 */
export function serveLoopback(handler: Deno.ServeHandler, port = 0): LoopbackServer {
  const server = Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, handler);
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}
