import type { MiddlewareHandler } from "hono";
import { groupOwner } from "../../access/rules.ts";
import { defineEndpoint, empty, type Endpoint, json, list, named } from "../../api/endpoint.ts";
import { listQuery } from "../../api/queries.ts";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { applyListQuery, listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import {
  EDUCATOR,
  HEALTH_PROFESSIONAL,
  type ProfessionalKind,
} from "../professionals/professionals.kinds.ts";
import { assertGroupChildrenAllowed } from "../self-service.ts";
import { assertChildrenRegistered, findUser, writeOrConflict } from "../users/users.store.ts";
import { createGroupBody, groupSchema, updateGroupBody } from "./groups.schemas.ts";
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
const TAG = "Children groups";
const Group = named("ChildrenGroup", groupSchema);
const notFound = () => errors.notFound(LABEL);
const conflict = () => errors.alreadyRegistered(LABEL);
const NOT_FOUND = "The owner has no group with this id.";
const NAME_TAKEN = "The owner has another group with this name.";

/** Fields a group list may filter and sort on. */
const listFields = {
  name: (row: GroupRow) => row.name,
  school_class: (row: GroupRow) => row.schoolClass,
};

/** What differs between the two owners' group routes. */
interface GroupRoutes {
  /** `/v1/educators/:educator_id/children/groups`. */
  path: string;
  /** Contract ids: create, list, get, update, delete. */
  ids: [string, string, string, string, string];
  /** `Educator` in `createEducatorChildrenGroup`. */
  owner: string;
  /** "the educator's". */
  whose: string;
}

/**
 * `…/:owner_id/children/groups[/:group_id]` of one kind of owner (account.md §8). Every
 * route acts only on groups the path owner owns: another owner's group is "not found"
 * (PATCH, GET) or left alone (DELETE), and a PATCH never moves a group to another owner
 * (the original did both; gateway.md only checks that the caller is the path owner).
 */
function groupEndpoints(kind: ProfessionalKind, routes: GroupRoutes): Endpoint[] {
  const { path, ids, owner, whose } = routes;
  const one = `${path}/:group_id`;
  const access = (scope: string) => ({
    scopes: [`childrengroups:${scope}`],
    rule: groupOwner(kind.type),
  });
  const ownerMissing = `No ${kind.label.toLowerCase()} has this id.`;

  // The owner's existence is checked before the body (account.md §8.1 #2), with a 400.
  const ownerMustExist = ({ db }: Deps): MiddlewareHandler<AppEnv>[] => [async (c, next) => {
    if (!await findUser(db, c.var.params[kind.idParam], kind.type)) {
      throw errors.notFound(kind.label, Status.BAD_REQUEST);
    }
    await next();
  }];
  const view = async (deps: Deps, row: GroupRow) => (await groupViews(deps.db, [row]))[0];

  return [
    defineEndpoint({
      method: "POST",
      path,
      id: ids[0],
      operationId: `create${owner}ChildrenGroup`,
      summary: `Create one of ${whose} children groups`,
      tag: TAG,
      access: access("create"),
      before: ownerMustExist,
      body: { name: "ChildrenGroupCreate", schema: createGroupBody },
      responses: {
        201: json("The group created.", Group),
        400: `${ownerMissing} Or a body field is invalid, or a child is not registered.`,
        409: NAME_TAKEN,
      },
      handler: async ({ c, deps, params, body }) => {
        const ownerId = params[kind.idParam];
        const row = await writeOrConflict(deps.db, LABEL, async (tx) => {
          if (await groupNameTaken(tx, ownerId, body.name)) throw conflict();
          await assertChildrenRegistered(tx, body.children);
          await assertGroupChildrenAllowed(tx, deps.config, ownerId, body.children);
          return await insertGroup(tx, ownerId, body, deps.now());
        });
        return c.json(await view(deps, row), Status.CREATED);
      },
    }),
    defineEndpoint({
      method: "GET",
      path,
      id: ids[1],
      operationId: `list${owner}ChildrenGroups`,
      summary: `List ${whose} children groups`,
      tag: TAG,
      access: access("read"),
      before: ownerMustExist,
      query: listQuery(listQuerySchema, {
        name: "the group's name",
        school_class: "the school class",
      }),
      responses: { 200: list("A page of the owner's groups.", Group), 400: ownerMissing },
      handler: async ({ c, deps: { db }, params, query }) => {
        const rows = await groupsOfOwner(db, params[kind.idParam]);
        const page = applyListQuery(rows, query, listFields);
        return listResponse(c, await groupViews(db, page), rows.length);
      },
    }),
    defineEndpoint({
      method: "GET",
      path: one,
      id: ids[2],
      operationId: `get${owner}ChildrenGroup`,
      summary: `Get one of ${whose} children groups`,
      tag: TAG,
      access: access("read"),
      before: ownerMustExist,
      responses: { 200: json("The group.", Group), 400: ownerMissing, 404: NOT_FOUND },
      handler: async ({ c, deps, params }) => {
        const row = await findOwnedGroup(deps.db, params[kind.idParam], params.group_id);
        if (!row) throw notFound();
        return c.json(await view(deps, row), Status.OK);
      },
    }),
    defineEndpoint({
      method: "PATCH",
      path: one,
      id: ids[3],
      operationId: `update${owner}ChildrenGroup`,
      summary: `Update one of ${whose} children groups`,
      tag: TAG,
      access: access("update"),
      before: ownerMustExist,
      body: { name: "ChildrenGroupUpdate", schema: updateGroupBody },
      responses: {
        200: json("The group as updated.", Group),
        400: `${ownerMissing} Or a body field is invalid, or a child is not registered.`,
        404: NOT_FOUND,
        409: NAME_TAKEN,
      },
      handler: async ({ c, deps, params, body }) => {
        const ownerId = params[kind.idParam];
        const id = params.group_id;
        const row = await writeOrConflict(deps.db, LABEL, async (tx) => {
          // The contract's order: name conflict, unregistered children, then not found.
          if (body.name !== undefined && await groupNameTaken(tx, ownerId, body.name, id)) {
            throw conflict();
          }
          if (body.children !== undefined) await assertChildrenRegistered(tx, body.children);
          await assertGroupChildrenAllowed(tx, deps.config, ownerId, body.children);
          if (!await findOwnedGroup(tx, ownerId, id)) throw notFound();
          const updated = await updateGroup(tx, id, body);
          if (!updated) throw notFound();
          return updated;
        });
        return c.json(await view(deps, row), Status.OK);
      },
    }),
    defineEndpoint({
      method: "DELETE",
      path: one,
      id: ids[4],
      operationId: `delete${owner}ChildrenGroup`,
      summary: `Delete one of ${whose} children groups`,
      tag: TAG,
      access: access("delete"),
      responses: { 204: empty("Deleted, or the owner or the group did not exist.") },
      // 204 whether or not the owner or the group exists (account.md §8.5).
      handler: async ({ c, deps: { db }, params }) => {
        await db.transaction((tx) => deleteOwnedGroup(tx, params[kind.idParam], params.group_id));
        return noContent(c);
      },
    }),
  ];
}

/** The educators' children groups (AC24, AC26, AC27, AC30, AC32). */
export const educatorGroupEndpoints = groupEndpoints(EDUCATOR, {
  path: "/v1/educators/:educator_id/children/groups",
  ids: ["AC24", "AC26", "AC27", "AC30", "AC32"],
  owner: "Educator",
  whose: "the educator's",
});

/** The health professionals' children groups (AC25, AC28, AC29, AC31, AC33). */
export const healthProfessionalGroupEndpoints = groupEndpoints(HEALTH_PROFESSIONAL, {
  path: "/v1/healthprofessionals/:healthprofessional_id/children/groups",
  ids: ["AC25", "AC28", "AC29", "AC31", "AC33"],
  owner: "HealthProfessional",
  whose: "the health professional's",
});
