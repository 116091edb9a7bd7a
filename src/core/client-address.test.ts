import { Hono } from "hono";
import { assertEquals } from "../../test/assert.ts";
import { clientAddress } from "./client-address.ts";

/** What the app sees as the client for a socket peer, a forwarded header and trusted proxies. */
async function seen(
  peer: string | undefined,
  forwarded: string | undefined,
  trusted: string[],
): Promise<string> {
  const app = new Hono().get("/", (c) => c.text(clientAddress(c, trusted) ?? "(unknown)"));
  const headers: Record<string, string> = forwarded ? { "X-Forwarded-For": forwarded } : {};
  const env = peer === undefined ? undefined : { remoteAddr: { hostname: peer } };
  return await (await app.request("/", { headers }, env)).text();
}

const cases: [string, string | undefined, string | undefined, string[], string][] = [
  ["the socket peer by default", "192.0.2.7", undefined, [], "192.0.2.7"],
  [
    "a forwarded header from an untrusted peer is ignored",
    "192.0.2.7",
    "203.0.113.9",
    [],
    "192.0.2.7",
  ],
  [
    "behind a trusted proxy, the address it forwards",
    "10.0.0.1",
    "203.0.113.9",
    ["10.0.0.1"],
    "203.0.113.9",
  ],
  ["entries the client wrote itself (left) are not believed", "10.0.0.1", "1.1.1.1, 203.0.113.9", [
    "10.0.0.1",
  ], "203.0.113.9"],
  ["a chain of trusted proxies is walked from the right", "10.0.0.1", "203.0.113.9, 10.0.0.2", [
    "10.0.0.1",
    "10.0.0.2",
  ], "203.0.113.9"],
  [
    "a trusted proxy without the header is the client",
    "10.0.0.1",
    undefined,
    ["10.0.0.1"],
    "10.0.0.1",
  ],
  ["IPv4 through an IPv6 socket", "::ffff:192.0.2.7", undefined, [], "192.0.2.7"],
  ["IPv6 peers keep their address", "2001:DB8::1", undefined, [], "2001:db8::1"],
  ["no socket (an in-process request): unknown", undefined, "203.0.113.9", [], "(unknown)"],
];

for (const [name, peer, forwarded, trusted, expected] of cases) {
  Deno.test(`client address: ${name}`, async () => {
    assertEquals(await seen(peer, forwarded, trusted), expected);
  });
}
