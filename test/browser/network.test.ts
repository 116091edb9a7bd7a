/** The network guard itself: loopback passes, anything else is aborted and recorded. */
import { assertEquals } from "../assert.ts";
import { serveLoopback } from "../loopback.ts";
import { browserTest } from "./chromium.ts";
import { blockNonLoopback, isLoopback } from "./network.ts";

for (
  const [url, expected] of [
    ["http://127.0.0.1:8080/", true],
    ["http://127.4.5.6/", true],
    ["http://localhost:3000/x", true],
    ["http://[::1]:9000/", true],
    ["https://example.invalid/", false],
    ["http://10.0.0.1/", false],
    ["http://127.0.0.1.example.invalid/", false],
    ["http://localhost.example.invalid/", false],
    ["http://[::ffff:8.8.8.8]/", false],
  ] as const
) {
  Deno.test(`isLoopback(${url}) is ${expected}`, () => {
    assertEquals(isLoopback(new URL(url)), expected);
  });
}

// Names under .invalid never resolve (RFC 2606): nothing could leave even unguarded.
const PAGE = `<!doctype html>
<img src="/local.png">
<img src="http://assets.example.invalid/logo.png">
<script src="https://cdn.example.invalid/app.js"></script>
<script>new WebSocket("ws://socket.example.invalid/live");</script>`;

await browserTest(
  "blockNonLoopback lets loopback through and records every other request",
  async ({ context }) => {
    const served: string[] = [];
    const { server, url } = serveLoopback((req) => {
      const path = new URL(req.url).pathname;
      served.push(path);
      return path === "/"
        ? new Response(PAGE, { headers: { "Content-Type": "text/html" } })
        : new Response(null, { status: 204 });
    });
    try {
      const blocked = await blockNonLoopback(context);
      const page = await context.newPage();
      await page.goto(`${url}/`, { waitUntil: "load" });
      // The WebSocket is refused asynchronously: wait (boundedly) for all three refusals.
      for (let tries = 0; blocked.urls.length < 3 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assertEquals(served.sort(), ["/", "/local.png"]);
      assertEquals([...blocked.urls].sort(), [
        "http://assets.example.invalid/logo.png",
        "https://cdn.example.invalid/app.js",
        "ws://socket.example.invalid/live",
      ]);
    } finally {
      await server.shutdown();
    }
  },
);
