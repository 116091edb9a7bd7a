import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { applyListQuery, listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent, pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate } from "../../core/validation/validator.ts";
import type { ProfessionalKind } from "../professionals/professionals.kinds.ts";
import { assertGroupChildrenAllowed } from "../self-service.ts";
import { assertChildrenRegistered, findUser, writeOrConflict } from "../users/users.store.ts";
import { createGroupBody, updateGroupBody } from "./groups.schemas.ts";
import {
  deleteOwnedGroup,
  findOwnedGroup,
  groupNameTaken,
  type GroupRow,
  groupsOfOwner,
  groupViews,
  insertGroup,
  updateGroup,
} from "./groups.store.ts";

const LABEL = "Children Group";
const notFound = () => errors.notFound(LABEL);
const conflict = () => errors.alreadyRegistered(LABEL);

/** Fields a group list may filter and sort on. */
const listFields = {
  name: (row: GroupRow) => row.name,
  school_class: (row: GroupRow) => row.schoolClass,
};

/**
 * `…/:owner_id/children/groups[/:group_id]` of one kind of owner (account.md §8). Every
 * route acts only on groups the path owner owns: another owner's group is "not found"
 * (PATCH, GET) or left alone (DELETE), and a PATCH never moves a group to another owner
 * (the original did both; gateway.md only checks that the caller is the path owner).
 */
export function groupRoutes({ db, now, config }: Deps, kind: ProfessionalKind) {
  const ownerOf = (c: Context<AppEnv>) => pathParam(c, kind.idParam);

  // The owner's existence is checked before the body (account.md §8.1 #2), with a 400.
  const ownerMustExist: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!await findUser(db, ownerOf(c), kind.type)) {
      throw errors.notFound(kind.label, Status.BAD_REQUEST);
    }
    await next();
  };

  const view = async (row: GroupRow) => (await groupViews(db, [row]))[0];

  return new Hono<AppEnv>()
    .post("/", ownerMustExist, validate("json", createGroupBody), async (c) => {
      const owner = ownerOf(c);
      const fields = c.req.valid("json");
      const row = await writeOrConflict(db, LABEL, async (tx) => {
        if (await groupNameTaken(tx, owner, fields.name)) throw conflict();
        await assertChildrenRegistered(tx, fields.children);
        await assertGroupChildrenAllowed(tx, config, owner, fields.children);
        return await insertGroup(tx, owner, fields, now());
      });
      return c.json(await view(row), Status.CREATED);
    })
    .get("/", ownerMustExist, validate("query", listQuerySchema), async (c) => {
      const rows = await groupsOfOwner(db, ownerOf(c));
      const page = applyListQuery(rows, c.req.valid("query"), listFields);
      return listResponse(c, await groupViews(db, page), rows.length);
    })
    .get("/:group_id", ownerMustExist, async (c) => {
      const row = await findOwnedGroup(db, ownerOf(c), pathParam(c, "group_id"));
      if (!row) throw notFound();
      return c.json(await view(row), Status.OK);
    })
    .patch("/:group_id", ownerMustExist, validate("json", updateGroupBody), async (c) => {
      const owner = ownerOf(c);
      const id = pathParam(c, "group_id");
      const changes = c.req.valid("json");
      const row = await writeOrConflict(db, LABEL, async (tx) => {
        // The contract's order: name conflict, unregistered children, then not found.
        if (changes.name !== undefined && await groupNameTaken(tx, owner, changes.name, id)) {
          throw conflict();
        }
        if (changes.children !== undefined) await assertChildrenRegistered(tx, changes.children);
        await assertGroupChildrenAllowed(tx, config, owner, changes.children);
        if (!await findOwnedGroup(tx, owner, id)) throw notFound();
        const updated = await updateGroup(tx, id, changes);
        if (!updated) throw notFound();
        return updated;
      });
      return c.json(await view(row), Status.OK);
    })
    .delete("/:group_id", async (c) => {
      // 204 whether or not the owner or the group exists (account.md §8.5).
      await db.transaction((tx) => deleteOwnedGroup(tx, ownerOf(c), pathParam(c, "group_id")));
      return noContent(c);
    });
}
