import type { Deps } from "../core/context.ts";
import { everyInterval, type Worker } from "../core/worker.ts";
import { pruneAuditEntries } from "./audit.store.ts";

const DAY_MS = 86_400_000;
/** How often expired rows are looked for, and the first look after start. */
const PRUNE_EVERY_MS = 60 * 60_000;
const FIRST_PRUNE_MS = 60_000;

type PruneDeps = Pick<Deps, "db" | "config" | "log" | "now">;

/**
 * Deletes the audit rows older than `AUDIT_RETENTION_DAYS` (0 keeps everything).
 * Returns how many went.
 */
export async function pruneExpiredAudit({ db, config, log, now }: PruneDeps): Promise<number> {
  const days = config.AUDIT_RETENTION_DAYS;
  if (days === 0) return 0;
  const deleted = await pruneAuditEntries(db, now() - days * DAY_MS);
  if (deleted > 0) log.info("audit rows pruned", { deleted, retention_days: days });
  return deleted;
}

/**
 * The background retention prune: hourly, in short chunks (see `pruneAuditEntries`), so
 * requests never wait behind it for long. Several instances may run it at once: each
 * chunk deletes what is still there.
 */
export function startAuditPrune(deps: PruneDeps): Worker {
  return everyInterval(
    "audit prune",
    PRUNE_EVERY_MS,
    () => pruneExpiredAudit(deps),
    deps.log,
    FIRST_PRUNE_MS,
  );
}
