/**
 * The interactive API reference (Swagger UI), served entirely by the service: the UI's files
 * come from the `swagger-ui-dist` npm package pinned in deno.json, are read once from Deno's
 * node_modules and kept in memory, and the page loads nothing from any other origin.
 */
import type { Context } from "hono";
import { createHash } from "node:crypto";
// A static import puts the package in the module graph, so every install step fetches it.
import swaggerUi from "swagger-ui-dist/package.json" with { type: "json" };
import type { AppEnv } from "../core/context.ts";
import { errors } from "../core/errors.ts";
import { Status } from "../core/status.ts";

/** Path of the page; its assets live under `${REFERENCE_PATH}/assets/<tag>/<file>`. */
export const REFERENCE_PATH = "/v1/reference";

/** The OpenAPI document the page shows. */
const DOCUMENT_URL = "/v1/openapi.json";

/**
 * The page's Content-Security-Policy: everything from the service's own origin only, no
 * inline script, no eval. `img-src data:` is there because swagger-ui.css draws its icons
 * as inline SVG `data:` images (nothing is fetched for them); styles need no exception,
 * since the UI sets element styles through the DOM, which style-src does not govern.
 */
export const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join("; ");

/** One year, and never revalidated: an asset's URL changes whenever its bytes can. */
const IMMUTABLE = "public, max-age=31536000, immutable";

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/** The served assets by file name, with the tag that versions their URLs. */
interface AssetSet {
  tag: string;
  files: Map<string, Asset>;
}

// Swagger UI's own files, read from the pinned package.
const PACKAGE_FILES: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/**
 * Starts the UI. A served file, not inline script, so the CSP can forbid inline script.
 * `validatorUrl: null` keeps Swagger UI from loading its badge from the public validator;
 * `queryConfigEnabled: false` keeps `?url=` links from pointing the page at another document.
 */
const INIT_SCRIPT = `"use strict";
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(DOCUMENT_URL)},
  dom_id: "#reference",
  deepLinking: true,
  queryConfigEnabled: false,
  validatorUrl: null,
  displayOperationId: true,
  displayRequestDuration: true,
  filter: true,
  showExtensions: true,
});
`;

const PAGE_STYLE = `html { box-sizing: border-box; overflow-y: scroll; }
*, *::before, *::after { box-sizing: inherit; }
body { margin: 0; background: #fafafa; }
`;

let loaded: AssetSet | undefined;

/** The asset set, built once per process (the package cannot change). */
function loadAssets(): AssetSet {
  if (loaded) return loaded;
  const dir = packageDir();
  const files = new Map<string, Asset>();
  for (const [name, type] of Object.entries(PACKAGE_FILES)) {
    files.set(name, { body: Deno.readFileSync(new URL(name, dir)), type });
  }
  const encode = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
  files.set("reference.js", {
    body: encode(INIT_SCRIPT),
    type: "text/javascript; charset=utf-8",
  });
  files.set("reference.css", { body: encode(PAGE_STYLE), type: "text/css; charset=utf-8" });
  loaded = { tag: `swagger-ui-${swaggerUi.version}-${contentHash(files)}`, files };
  return loaded;
}

/** The installed package's folder, as a file URL ending in `/`. */
function packageDir(): URL {
  const manifest = import.meta.resolve("swagger-ui-dist/package.json");
  if (!manifest.startsWith("file:")) {
    throw new Error(`swagger-ui-dist resolved to ${manifest}; deno.json needs nodeModulesDir`);
  }
  return new URL(".", manifest);
}

/** A short SHA-256 over every asset, so that any change of bytes changes the URLs. */
function contentHash(files: Map<string, Asset>): string {
  const hash = createHash("sha256");
  for (const [name, { body }] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name).update(body);
  }
  return hash.digest("hex").slice(0, 10);
}

/** The page: markup only; styles and script are the served assets. */
function page({ tag }: AssetSet): string {
  const asset = (name: string) => `${REFERENCE_PATH}/assets/${tag}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>API Reference | OCARIoT</title>
  <link rel="icon" type="image/png" href="${asset("favicon-32x32.png")}">
  <link rel="stylesheet" href="${asset("swagger-ui.css")}">
  <link rel="stylesheet" href="${asset("reference.css")}">
</head>
<body>
  <div id="reference"></div>
  <script src="${asset("swagger-ui-bundle.js")}"></script>
  <script src="${asset("reference.js")}"></script>
</body>
</html>
`;
}

/** The reference page (`GET /v1/reference`): never cached, under the CSP. */
export function referencePage(c: Context<AppEnv>): Response {
  return c.html(page(loadAssets()), Status.OK, {
    "Content-Security-Policy": REFERENCE_CSP,
    "Cache-Control": "no-cache",
  });
}

/**
 * One file of the page (`GET /v1/reference/assets/:tag/:file`), cached for a year. An asset
 * URL of another tag (an older version) is 404.
 */
export function referenceAsset(c: Context<AppEnv>, tag: string, file: string): Response {
  const assets = loadAssets();
  const asset = tag === assets.tag ? assets.files.get(file) : undefined;
  if (!asset) throw errors.notFoundRoute(c.req.path);
  return c.body(asset.body, Status.OK, {
    "Content-Type": asset.type,
    "Cache-Control": IMMUTABLE,
    "Content-Security-Policy": REFERENCE_CSP,
  });
}
