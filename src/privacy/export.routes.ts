import { childDataRead } from "../access/rules.ts";
import { findUser } from "../accounts/users/users.store.ts";
import { defineEndpoint, json, named } from "../api/endpoint.ts";
import { errors } from "../core/errors.ts";
import type { Logger } from "../core/log.ts";
import { Status } from "../core/status.ts";
import { childExportDocument } from "./export.document.ts";
import { childExportSchema } from "./export.schema.ts";

/** The right of access (docs/audit.md). */
export const exportEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/v1/children/:child_id/export",
    id: "RA1",
    operationId: "exportChild",
    summary: "Export everything held about a child as one JSON document (right of access)",
    description: "The account fields, families, groups, every tracking record and the " +
      "wearable connection's state (never its tokens), streamed.",
    tag: "Children",
    // `children:read` leaves out applications, which may not read child profiles; every
    // type holding it also holds the tracking read scopes.
    access: { scopes: ["children:read"], rule: childDataRead },
    responses: {
      200: json("The child's whole record.", named("ChildExport", childExportSchema)),
      404: "No child has this id.",
    },
    handler: async ({ c, deps: { db, now, log }, params: { child_id: childId } }) => {
      const child = await findUser(db, childId, "child");
      if (!child) throw errors.notFound("Child");
      const document = childExportDocument(db, child, now());
      return c.body(textStream(document, log, c.var.requestId), Status.OK, {
        "Content-Type": "application/json; charset=UTF-8",
        "Content-Disposition": `attachment; filename="child-${childId}.json"`,
        "Cache-Control": "no-store",
      });
    },
  }),
];

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
