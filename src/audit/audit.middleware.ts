import "../auth/auth.context.ts";
import type { Context, MiddlewareHandler } from "hono";
import { childExists, childIdByNfcTag } from "../access/relations.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors } from "../core/errors.ts";
import { HEX_ID } from "../core/ids.ts";
import { ownField } from "../core/list-query.ts";
import type { Executor } from "../db/client.ts";
import { CHILD_DATA_READS, isWrite } from "./audit.reads.ts";
import { AuditRecorder } from "./audit.recorder.ts";
import { appendAuditEntries } from "./audit.store.ts";

/** Longest path kept in a row (paths are ids and fixed words; this only bounds odd input). */
export const MAX_AUDIT_PATH = 300;

/**
 * The audit trail, mounted right after the access guard: for every request the guard
 * let through that writes, or reads a child's data (audit.reads.ts), it records who
 * (token subject and type), what (method, route id, path), the child concerned and the
 * answer's status, once the handler has answered. The answer leaves only after its row
 * is committed (group commit, see AuditRecorder): nothing answered goes unrecorded, even
 * if the process is killed right after. Public routes and requests refused by the guard
 * have no authenticated caller and are not recorded here (the request log has them).
 *
 * If the row cannot be stored, a read is answered with a 500 instead (no unrecorded
 * read of a child's data leaves the service); a write has already happened, so its
 * answer stands and the failure is logged.
 */
export function auditTrail(
  deps: Deps,
  recorder: Pick<AuditRecorder, "record"> = new AuditRecorder((entries) =>
    appendAuditEntries(deps.db, entries)
  ),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = c.get("caller");
    const endpoint = caller ? c.get("endpoint") : undefined;
    const write = isWrite(c.req.method);
    if (!caller || !endpoint || !(write || CHILD_DATA_READS.has(endpoint.id))) {
      return await next();
    }
    // Resolved before the handler runs: a deletion would leave nothing to look up after.
    const childId = await childConcerned(deps.db, c.get("params") ?? {});
    await next();
    try {
      await recorder.record({
        at: deps.now(),
        userId: caller.sub,
        userType: caller.type,
        method: c.req.method,
        routeId: endpoint.id,
        path: c.req.path.slice(0, MAX_AUDIT_PATH),
        status: c.res.status,
        childId: childId ?? null,
        requestId: c.get("requestId") ?? "",
      });
    } catch (error) {
      deps.log.error("audit row not stored", {
        request_id: c.get("requestId"),
        route: endpoint.id,
        error: error instanceof Error ? error.message : String(error),
      });
      if (!write) await refuseRead(c);
    }
  };
}

/** Drops the prepared answer (an export stream stops reading) and answers 500. */
async function refuseRead(c: Context<AppEnv>): Promise<never> {
  await c.res.body?.cancel().catch(() => {});
  throw errors.internal();
}

/**
 * The child a request is about: the path's `child_id`; the `user_id` when that user is
 * a child (deletion, password reset, Fitbit); the child holding the NFC tag.
 */
async function childConcerned(
  db: Executor,
  params: Record<string, string>,
): Promise<string | undefined> {
  const childId = ownField(params, "child_id");
  if (childId !== undefined) return HEX_ID.test(childId) ? childId : undefined;
  const userId = ownField(params, "user_id");
  if (userId !== undefined) return await childExists(db, userId) ? userId : undefined;
  const tag = ownField(params, "nfc_tag");
  if (tag !== undefined) return await childIdByNfcTag(db, tag);
  return undefined;
}
