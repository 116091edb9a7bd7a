import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { wearableSyncedItems } from "../../db/schema/index.ts";

/** Items already handed to tracking: by provider id, and by start instant across providers. */

const s = wearableSyncedItems;

/** Which items a child's sync of one kind must not hand over again. */
export interface KnownItems {
  /** Provider ids this provider already delivered. */
  ids: Set<string>;
  /** Start instants (epoch ms) any provider already delivered for the child and kind. */
  instants: Set<number>;
}

/** An item to look up or remember. */
export interface ItemKey {
  externalId: string;
  /** Start instant, epoch ms (undefined when unknown). */
  startedAt?: number;
}

const CHUNK = 400;

/** What of these items was already handed over. */
export async function knownItems(
  db: Executor,
  key: { provider: string; childId: string; kind: string },
  items: ItemKey[],
): Promise<KnownItems> {
  const known: KnownItems = { ids: new Set(), instants: new Set() };
  const ids = items.map((i) => i.externalId);
  const instants = items.map((i) => i.startedAt).filter((at): at is number => at !== undefined);
  const ofChild = and(eq(s.childId, key.childId), eq(s.kind, key.kind));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.select({ id: s.externalId }).from(s)
      .where(
        and(ofChild, eq(s.provider, key.provider), inArray(s.externalId, ids.slice(i, i + CHUNK))),
      );
    for (const row of rows) known.ids.add(row.id);
  }
  for (let i = 0; i < instants.length; i += CHUNK) {
    const rows = await db.select({ at: s.startedAt }).from(s)
      .where(
        and(ofChild, isNotNull(s.startedAt), inArray(s.startedAt, instants.slice(i, i + CHUNK))),
      );
    for (const row of rows) known.instants.add(row.at!);
  }
  return known;
}

/** Records items as handed over. */
export async function markItems(
  db: Executor,
  key: { provider: string; childId: string; kind: string },
  items: ItemKey[],
  now: number,
): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const values = items.slice(i, i + 200).map((item) => ({
      ...key,
      externalId: item.externalId,
      startedAt: item.startedAt ?? null,
      syncedAt: now,
    }));
    if (values.length > 0) await db.insert(s).values(values).onConflictDoNothing();
  }
}
