import { Hono } from "hono";
import type { z } from "zod";
import { hashPassword } from "../../auth/passwords.ts";
import type { UserType } from "../../auth/scopes.ts";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { listResponse, pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate, validateWithParams } from "../../core/validation/validator.ts";
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

/** What differs between the user types that have a REST resource. */
export interface UserResource<Create extends z.ZodType, Update extends z.ZodType> {
  type: Exclude<UserType, "admin">;
  /** The word in messages: `Child not found!`, `Family is already registered...`. */
  label: string;
  /** The path parameter naming one user. */
  idParam: string;
  /** The POST body. */
  create: Create;
  /** The PATCH body (its `password` refusal quotes the path id). */
  update: (params: Record<string, string>) => Update;
  /** The references of a valid body. */
  references: (body: z.output<Create> | z.output<Update>) => UserReferences;
  insert: (tx: Executor, body: z.output<Create>, passwordHash: string, now: number) => Promise<
    UserRow
  >;
  applyChanges: (tx: Executor, id: string, body: z.output<Update>) => Promise<UserRow | undefined>;
  /** The JSON views of rows, in the same order. */
  views: (db: Executor, rows: UserRow[]) => Promise<unknown[]>;
}

/**
 * The four routes every user resource has (account.md §6–§10): POST (201), the list
 * (username specials, `X-Total-Count` = all users of the type), GET one and PATCH.
 * Validation, then 404, then the reference checks and the write in one transaction.
 * Resources add their own routes to the returned app.
 */
export function userResourceRoutes<Create extends z.ZodType, Update extends z.ZodType>(
  { db, now, config }: Deps,
  resource: UserResource<Create, Update>,
) {
  const { type, label, idParam } = resource;
  const notFound = () => errors.notFound(label);
  const view = async (row: UserRow) => (await resource.views(db, [row]))[0];

  return new Hono<AppEnv>()
    .post("/", validate("json", resource.create), async (c) => {
      const body = c.req.valid("json") as z.output<Create>;
      const hash = await hashPassword((body as { password: string }).password);
      const row = await writeOrConflict(db, label, async (tx) => {
        await assertUserFieldsAcceptable(tx, { type, label, ...resource.references(body) });
        return await resource.insert(tx, body, hash, now());
      });
      return c.json(await view(row), Status.CREATED);
    })
    .get("/", validate("query", userListQuerySchema), async (c) => {
      const [rows, total] = await Promise.all([usersOfType(db, type), countUsersOfType(db, type)]);
      const page = applyUserListQuery(rows, c.req.valid("query"), userListFields);
      return listResponse(c, await resource.views(db, page), total);
    })
    .get(`/:${idParam}`, async (c) => {
      const row = await findUser(db, pathParam(c, idParam), type);
      if (!row) throw notFound();
      return c.json(await view(row), Status.OK);
    })
    .patch(`/:${idParam}`, validateWithParams("json", resource.update), async (c) => {
      const id = pathParam(c, idParam);
      const body = c.req.valid("json") as z.output<Update>;
      const row = await writeOrConflict(db, label, async (tx) => {
        if (!await findUser(tx, id, type)) throw notFound();
        await assertLinkChangesAllowed(tx, c.var.caller, config, {
          type,
          id,
          ...resource.references(body),
        });
        await assertUserFieldsAcceptable(tx, {
          type,
          label,
          exceptId: id,
          ...resource.references(body),
        });
        const updated = await resource.applyChanges(tx, id, body);
        if (!updated) throw notFound();
        return updated;
      });
      return c.json(await view(row), Status.OK);
    });
}
