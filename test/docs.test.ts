import { permissionsMarkdown } from "../src/api/permissions-table.ts";
import { ENDPOINTS } from "../src/domains.ts";
import { assertEquals } from "./assert.ts";

Deno.test("docs/permissions.md is what the definitions generate (deno task docs:permissions)", async () => {
  const written = await Deno.readTextFile(new URL("../docs/permissions.md", import.meta.url));
  assertEquals(written, permissionsMarkdown(ENDPOINTS));
});

Deno.test("docs refer to nothing outside the repository", async () => {
  const outside: string[] = [];
  for await (const entry of Deno.readDir(new URL("../docs/", import.meta.url))) {
    if (!entry.name.endsWith(".md")) continue;
    const text = await Deno.readTextFile(new URL(`../docs/${entry.name}`, import.meta.url));
    if (/\.\.\/shared|shared\/contract|\/work\//.test(text)) outside.push(entry.name);
  }
  assertEquals(outside, []);
});
