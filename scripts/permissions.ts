/** Writes docs/permissions.md from the endpoint definitions (`deno task docs:permissions`). */
import { permissionsMarkdown } from "../src/api/permissions-table.ts";
import { ENDPOINTS } from "../src/domains.ts";

const target = new URL("../docs/permissions.md", import.meta.url);
await Deno.mkdir(new URL(".", target), { recursive: true });
await Deno.writeTextFile(target, permissionsMarkdown(ENDPOINTS));
console.log(`wrote ${target.pathname}`);
