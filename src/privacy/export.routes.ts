import { Hono } from "hono";
import { findUser } from "../accounts/users/users.store.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import { pathParam } from "../core/responses.ts";
import { Status } from "../core/status.ts";
import { childExportDocument } from "./export.document.ts";

/**
 * `GET /v1/children/:child_id/export` (right of access, docs/audit.md), mounted under
 * `/v1/children`: the child's whole record as one JSON document, streamed. Access: as
 * the child's tracking data reads (access/permissions.ts, RA1).
 */
export function exportRoutes({ db, now, log }: Deps) {
  return new Hono<AppEnv>().get("/:child_id/export", async (c) => {
    const childId = pathParam(c, "child_id");
    const child = await findUser(db, childId, "child");
    if (!child) throw errors.notFound("Child");
    const document = childExportDocument(db, child, now());
    return c.body(textStream(document, log, c.var.requestId), Status.OK, {
      "Content-Type": "application/json; charset=UTF-8",
      "Content-Disposition": `attachment; filename="child-${childId}.json"`,
      "Cache-Control": "no-store",
    });
  });
}

/**
 * A byte stream pulling one piece of text at a time: the next piece is produced only
 * when the client has taken the previous one. A failure midway ends the stream with an
 * error (the client sees a truncated document, never a complete-looking wrong one).
 */
function textStream(
  pieces: AsyncGenerator<string>,
  log: Logger,
  requestId: string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        log.error("export failed", {
          request_id: requestId,
          error: error instanceof Error ? error.message : String(error),
        });
        controller.error(error);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  }, { highWaterMark: 1 });
}
