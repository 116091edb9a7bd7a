import { dirname } from "node:path";

/**
 * Creates `path` with `text` unless it exists, atomically: the content is written to a
 * temporary file first and then hard-linked into place, so a process starting at the same
 * moment sees either no file or the whole file, never a half-written one. Returns what the
 * file holds afterwards (ours, or the content of whoever created it first).
 */
export async function createFileOnce(path: string, text: string, mode = 0o600): Promise<string> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, text, { createNew: true, mode });
  try {
    await Deno.link(temporary, path);
    return text;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    return await Deno.readTextFile(path);
  } finally {
    await Deno.remove(temporary);
  }
}
