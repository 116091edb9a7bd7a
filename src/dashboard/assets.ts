/**
 * The dashboard's static files (its stylesheet and icon), read once from this folder
 * and served under a URL that names their content hash, so they can be cached for a
 * year and still change with every release that changes them.
 */
import { createHash } from "node:crypto";
import { BASE } from "./session.ts";

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

const FILES: Record<string, string> = {
  "dashboard.css": "text/css; charset=utf-8",
  "icon.svg": "image/svg+xml",
};

/** The served files by name, and the tag in their URLs. */
export interface AssetSet {
  tag: string;
  files: ReadonlyMap<string, Asset>;
  /** The URL of a file. */
  url(name: keyof typeof FILES & string): string;
}

let loaded: AssetSet | undefined;

/** The asset set, read on first use (the files cannot change while the process runs). */
export function dashboardAssets(): AssetSet {
  if (loaded) return loaded;
  const files = new Map<string, Asset>();
  const hash = createHash("sha256");
  for (const [name, type] of Object.entries(FILES)) {
    const body = Deno.readFileSync(new URL(name, import.meta.url));
    files.set(name, { body, type });
    hash.update(name).update(body);
  }
  const tag = hash.digest("hex").slice(0, 12);
  loaded = { tag, files, url: (name) => `${BASE}/assets/${tag}/${name}` };
  return loaded;
}
