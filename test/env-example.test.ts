import { envSchema } from "../src/env.ts";
import { assertEquals } from "./assert.ts";

// The environment file operators copy must name every setting the service reads, and no
// setting it does not read.
Deno.test(".env.example names every setting the service reads, and only those", async () => {
  const text = await Deno.readTextFile(new URL("../.env.example", import.meta.url));
  const named = new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map(([, name]) => name));
  const read = new Set(Object.keys(envSchema.shape));
  assertEquals([...read].filter((name) => !named.has(name)).sort(), []);
  assertEquals([...named].filter((name) => !read.has(name)).sort(), []);
});
