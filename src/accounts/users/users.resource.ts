import type { z } from "zod";
import type { Rule } from "../../access/rules.ts";
import { defineEndpoint, type Endpoint, json, list, type Named } from "../../api/endpoint.ts";
import { type FilterFields, listQuery } from "../../api/queries.ts";
import { hashPassword } from "../../auth/passwords.ts";
import type { UserType } from "../../auth/scopes.ts";
import type { Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { listResponse } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import type { Executor } from "../../db/client.ts";
import { assertLinkChangesAllowed } from "../self-service.ts";
import { applyUserListQuery, userListFields, userListQuerySchema } from "./users.list.ts";
import {
  assertUserFieldsAcceptable,
  countUsersOfType,
  findUser,
  type UserRow,
  usersOfType,
  writeOrConflict,
} from "./users.store.ts";

/** The references a body makes, checked in the contract's order before writing. */
export interface UserReferences {
  username?: string;
  institutionId?: string;
  childIds?: string[];
}

/** A request body of a user resource: its documented schema and, if needed, its per-request one. */
export interface UserBody<S extends z.ZodType> extends Named<S> {
  build?: (params: Record<string, string>, deps: Deps) => z.ZodType;
}

/** What differs between the user types that have a REST resource. */
export interface UserResource<Create extends z.ZodType, Update extends z.ZodType> {
  type: Exclude<UserType, "admin">;
  /** The word in messages: `Child not found!`, `Family is already registered...`. */
  label: string;
  /** The collection's path, e.g. `/v1/children`. */
  path: string;
  /** The path parameter naming one user. */
  idParam: string;
  /** The reference's group. */
  tag: string;
  /** Words for summaries and operation ids. */
  names: { one: string; many: string; a: string; plural: string };
  /** The contract ids of create, list, get and update. */
  ids: { create: string; list: string; get: string; update: string };
  /** The scope word: `children` in `children:create`. */
  scope: string;
  /** Ownership rules of get and update, if any. */
  rules: { get?: Rule; update?: Rule };
  /** The user's JSON view. */
  view: Named;
  /** Filter fields of the list (stored names). */
  filters: FilterFields;
  create: UserBody<Create>;
  /** The PATCH body (its `password` refusal quotes the path id). */
  update: UserBody<Update>;
  /** The references of a valid body. */
  references: (body: z.output<Create> | z.output<Update>) => UserReferences;
  insert: (tx: Executor, body: z.output<Create>, passwordHash: string, now: number) => Promise<
    UserRow
  >;
  applyChanges: (tx: Executor, id: string, body: z.output<Update>) => Promise<UserRow | undefined>;
  /** The JSON views of rows, in the same order. */
  views: (db: Executor, rows: UserRow[]) => Promise<unknown[]>;
}

/** The user fields every user list may filter on, and what they hold. */
export const USER_FILTERS: FilterFields = {
  username: "the username (exact ignoring case, or a `*` pattern; a `,` is part of the name)",
  institution: "the institution id",
  last_login: "the last login (a date, a date-time or epoch milliseconds)",
};

/**
 * The four endpoints every user resource has (account.md §6–§10): POST (201), the list
 * (username specials, `X-Total-Count` = all users of the type), GET one and PATCH.
 * Validation, then 404, then the reference checks and the write in one transaction.
 */
export function userResourceEndpoints<Create extends z.ZodType, Update extends z.ZodType>(
  resource: UserResource<Create, Update>,
): Endpoint[] {
  const { type, label, idParam, names, ids, scope, tag, path } = resource;
  const one = `${path}/:${idParam}`;
  const notFound = () => errors.notFound(label);
  const NOT_FOUND = `No ${names.one.toLowerCase()} has this id.`;
  const CONFLICT = `Another ${names.one.toLowerCase()} has this username.`;
  const view = async (db: Executor, row: UserRow) => (await resource.views(db, [row]))[0];

  return [
    defineEndpoint({
      method: "POST",
      path,
      id: ids.create,
      operationId: `create${names.one}`,
      summary: `Register ${names.a}`,
      tag,
      access: { scopes: [`${scope}:create`] },
      body: resource.create,
      responses: {
        201: json(`The ${names.one.toLowerCase()} registered.`, resource.view),
        400: "A body field is invalid or missing, or a referenced record is not registered.",
        409: `A ${names.one.toLowerCase()} with this username exists.`,
      },
      handler: async ({ c, deps: { db, now }, body }) => {
        const hash = await hashPassword((body as { password: string }).password);
        const row = await writeOrConflict(db, label, async (tx) => {
          await assertUserFieldsAcceptable(tx, { type, label, ...resource.references(body) });
          return await resource.insert(tx, body, hash, now());
        });
        return c.json(await view(db, row), Status.CREATED);
      },
    }),
    defineEndpoint({
      method: "GET",
      path,
      id: ids.list,
      operationId: `list${names.many}`,
      summary: `List ${names.plural}`,
      tag,
      access: { scopes: [`${scope}:readAll`] },
      query: listQuery(userListQuerySchema, resource.filters),
      responses: { 200: list(`A page of ${names.plural}.`, resource.view) },
      handler: async ({ c, deps: { db }, query }) => {
        const [rows, total] = await Promise.all([
          usersOfType(db, type),
          countUsersOfType(db, type),
        ]);
        const page = applyUserListQuery(rows, query, userListFields);
        return listResponse(c, await resource.views(db, page), total);
      },
    }),
    defineEndpoint({
      method: "GET",
      path: one,
      id: ids.get,
      operationId: `get${names.one}`,
      summary: `Get ${names.a}`,
      tag,
      access: { scopes: [`${scope}:read`], rule: resource.rules.get },
      responses: { 200: json(`The ${names.one.toLowerCase()}.`, resource.view), 404: NOT_FOUND },
      handler: async ({ c, deps: { db }, params }) => {
        const row = await findUser(db, params[idParam], type);
        if (!row) throw notFound();
        return c.json(await view(db, row), Status.OK);
      },
    }),
    defineEndpoint({
      method: "PATCH",
      path: one,
      id: ids.update,
      operationId: `update${names.one}`,
      summary: `Update ${names.a}`,
      description: "Only the fields sent change; a password never changes here.",
      tag,
      access: { scopes: [`${scope}:update`], rule: resource.rules.update },
      body: resource.update,
      responses: {
        200: json(`The ${names.one.toLowerCase()} as updated.`, resource.view),
        400: "A body field is invalid (a password is never accepted here), or a referenced " +
          "record is not registered.",
        404: NOT_FOUND,
        409: CONFLICT,
      },
      handler: async ({ c, deps: { db, config }, params, body }) => {
        const id = params[idParam];
        const row = await writeOrConflict(db, label, async (tx) => {
          const current = await findUser(tx, id, type);
          if (!current) throw notFound();
          const references = resource.references(body);
          await assertLinkChangesAllowed(tx, c.var.caller, config, current, references);
          await assertUserFieldsAcceptable(tx, { type, label, exceptId: id, ...references });
          const updated = await resource.applyChanges(tx, id, body);
          if (!updated) throw notFound();
          return updated;
        });
        return c.json(await view(db, row), Status.OK);
      },
    }),
  ];
}
