import { assertEquals } from "./assert.ts";

/**
 * Layers never import upward. `src/core/` and `src/db/` are the bottom: they import only
 * each other and `src/env.ts`. The endpoint framework (`src/api/`) and the access layer
 * (`src/access/`) may add the token and scope modules of auth, never a resource domain.
 * Nothing in `src/` but the composition root (`app.ts`, `main.ts`, `domains.ts`) imports
 * the composition root. Test files are left out: a test may import anything.
 */

const SRC = new URL("../src/", import.meta.url);

/** Allowed import targets per layer, as paths relative to src/. */
const LAYERS: { layer: string; allowed: (target: string) => boolean }[] = [
  {
    layer: "core/",
    allowed: (t) => t.startsWith("core/") || t.startsWith("db/") || t === "env.ts",
  },
  {
    layer: "db/",
    allowed: (t) => t.startsWith("core/") || t.startsWith("db/") || t === "env.ts",
  },
  {
    layer: "api/",
    allowed: (t) =>
      ["core/", "db/", "api/", "access/"].some((p) => t.startsWith(p)) ||
      ["env.ts", "auth/tokens.ts", "auth/scopes.ts"].includes(t),
  },
  {
    layer: "access/",
    allowed: (t) =>
      ["core/", "db/", "api/", "access/"].some((p) => t.startsWith(p)) ||
      ["env.ts", "auth/tokens.ts", "auth/scopes.ts", "auth/auth.context.ts"].includes(t),
  },
];
const ROOT = ["app.ts", "main.ts", "domains.ts"];

async function* sourceFiles(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(new URL(`${entry.name}/`, dir), `${path}/`);
    else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) yield path;
  }
}

/** The relative imports of a file, as paths relative to src/ (`import`, `export … from`). */
async function importsOf(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(new URL(file, SRC));
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?["'](\.[^"']+)["']/g)]
    .map(([, specifier]) => specifier);
  return specifiers.map((specifier) =>
    new URL(specifier, new URL(file, SRC)).href.slice(SRC.href.length)
  );
}

const files: string[] = [];
for await (const file of sourceFiles(SRC)) files.push(file);
files.sort();

Deno.test("layers: core, db, api and access import nothing above them", async () => {
  const violations: string[] = [];
  for (const file of files) {
    const layer = LAYERS.find((l) => file.startsWith(l.layer));
    if (!layer) continue;
    for (const target of await importsOf(file)) {
      if (!layer.allowed(target)) violations.push(`${file} → ${target}`);
    }
  }
  assertEquals(violations, []);
});

Deno.test("layers: only the composition root imports the composition root", async () => {
  const violations: string[] = [];
  for (const file of files.filter((f) => !ROOT.includes(f))) {
    for (const target of await importsOf(file)) {
      if (ROOT.includes(target)) violations.push(`${file} → ${target}`);
    }
  }
  assertEquals(violations, []);
});

Deno.test("layers: the scan sees the files and their imports", async () => {
  // Guards the scan itself: a broken pattern would find nothing and pass the tests above.
  assertEquals(files.includes("core/context.ts"), true);
  assertEquals((await importsOf("app.ts")).includes("domains.ts"), true);
  assertEquals((await importsOf("db/cascade.ts")).includes("db/client.ts"), true);
});
