import type { Context } from "hono";

/**
 * The address of the client behind a request, for limits kept per client.
 *
 * By default it is the socket's peer address, which a client cannot forge; the
 * `X-Forwarded-For` header is ignored. Behind a reverse proxy every request comes from the
 * proxy, so its address is listed in `TRUSTED_PROXIES`: when the peer is one of those, the
 * header is read from the right (each proxy appends the address it received from) and the
 * first address that is not a trusted proxy is the client. Entries further left were
 * written by the client itself and are never believed.
 *
 * Undefined when the runtime gives no peer address (a request made in-process).
 */
export function clientAddress(
  c: Context,
  trustedProxies: readonly string[],
): string | undefined {
  const peer = peerAddress(c);
  if (peer === undefined || !trustedProxies.includes(peer)) return peer;
  const forwarded = (c.req.header("X-Forwarded-For") ?? "").split(",")
    .map((entry) => normalizeAddress(entry.trim())).filter((entry) => entry !== "");
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(forwarded[i])) return forwarded[i];
  }
  return peer;
}

/** The socket peer as `Deno.serve` hands it to the app (its second argument, `c.env`). */
function peerAddress(c: Context): string | undefined {
  const info = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const hostname = info?.remoteAddr?.hostname;
  return typeof hostname === "string" ? normalizeAddress(hostname) : undefined;
}

/** `::ffff:192.0.2.1` (IPv4 through an IPv6 socket) is `192.0.2.1`; brackets are dropped. */
export function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare.startsWith("::ffff:") && bare.includes(".") ? bare.slice(7) : bare;
}
