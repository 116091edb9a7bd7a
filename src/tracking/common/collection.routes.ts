import type { Context } from "hono";
import type { z } from "zod";
import { textParam } from "../../access/params.ts";
import {
  childDataCreate,
  childDataDelete,
  childDataRead,
  institutionMustExist,
  type Rule,
} from "../../access/rules.ts";
import {
  defineEndpoint,
  empty,
  type Endpoint,
  json,
  list,
  type Named,
  named,
} from "../../api/endpoint.ts";
import { type FilterFields, listQuery } from "../../api/queries.ts";
import { errors } from "../../core/errors.ts";
import { type SqlListQuery, sqlListQuerySchema } from "../../core/list-query-sql.ts";
import { listResponse, noContent } from "../../core/responses.ts";
import type { AppEnv } from "../../core/context.ts";
import { Status } from "../../core/status.ts";
import type { Executor } from "../../db/client.ts";
import { answerBulk, type BulkResource } from "../bulk.ts";
import { trackingErrors } from "./errors.ts";
import type { JsonPage } from "./records.ts";
import { bulkBody } from "./schema.ts";
import { multiStatusSchema } from "./views.ts";

/**
 * A tracking collection owned by a child or an institution: what the shared endpoints
 * need to answer POST (object or array), GET list, GET by id, PATCH (405) and DELETE.
 */
export interface Collection<Row, Item> {
  /** The owner's path parameter. */
  owner: "child_id" | "institution_id";
  /** The collection's path segment, e.g. `physicalactivities`. */
  segment: string;
  /** The item id's path parameter, e.g. `physicalactivity_id`. */
  idParam: string;
  /** The reference's group. */
  tag: string;
  /** Words for summaries and operation ids. */
  names: { one: string; many: string; a: string; plural: string };
  /** Contract ids of each endpoint the collection has. */
  ids: { create: string; list: string; get?: string; patch?: string; delete: string };
  /** The scope word: `sleep` in `sleep:read`. */
  scope: string;
  /** The item schema (validation and the reference's body). */
  item: z.ZodType;
  /** The item as answers show it. */
  view: Named;
  /** Filter and sort fields of the list, by query name. */
  filters: FilterFields;
  /** The bulk path for one owner. */
  bulk(ownerId: string, now: number): BulkResource<Item>;
  list(db: Executor, ownerId: string, query: SqlListQuery, now: number): Promise<Row[]>;
  count(db: Executor, ownerId: string): Promise<number>;
  toView(row: Row): unknown;
  remove(db: Executor, ownerId: string, id: string): Promise<void>;
  /** GET by id; the resource's name for its 404 (`Sleep not found!`). */
  find?: (
    db: Executor,
    ownerId: string,
    id: string,
    query: SqlListQuery,
    now: number,
  ) => Promise<Row | undefined>;
  /** The resource's word in its 404 (`Sleep not found!`). */
  label: string;
  /** A page as JSON text written by SQLite (records.ts); undefined: use `list`. */
  listJson?: (
    db: Executor,
    ownerId: string,
    query: SqlListQuery,
    now: number,
  ) => Promise<JsonPage | undefined>;
  /** GET by id as JSON text (null: no such record); undefined: use `find`. */
  findJson?: (
    db: Executor,
    ownerId: string,
    id: string,
    query: SqlListQuery,
    now: number,
  ) => Promise<string | null | undefined>;
}

/** An answer whose JSON text is already written (as `c.json` would send it). */
function jsonText(c: Context<AppEnv>, text: string) {
  return c.body(text, Status.OK, { "Content-Type": "application/json" });
}

/** Who may do what on a collection: R-CHILD-DATA for a child's, existence for an institution's. */
function rulesOf(owner: Collection<unknown, unknown>["owner"]): Record<string, Rule> {
  return owner === "child_id"
    ? { create: childDataCreate, read: childDataRead, delete: childDataDelete }
    : { create: institutionMustExist, read: institutionMustExist, delete: institutionMustExist };
}

const OWNER_ERROR = {
  child_id: "A malformed id, or no child has this id.",
  institution_id: "A malformed id, or no institution has this id.",
};

/**
 * The endpoints of a collection under their full literal paths, e.g.
 * `/v1/children/:child_id/sleep/:sleep_id`.
 */
export function collectionEndpoints<Row, Item>(collection: Collection<Row, Item>): Endpoint[] {
  const { owner, names, ids, scope, tag, view } = collection;
  const all = `${
    owner === "child_id" ? "/v1/children" : "/v1/institutions"
  }/:${owner}/${collection.segment}`;
  const one = `${all}/:${collection.idParam}`;
  const rules = rulesOf(owner);
  const ownerError = OWNER_ERROR[owner];
  const endpoints: Endpoint[] = [
    defineEndpoint({
      method: "POST",
      path: all,
      id: ids.create,
      operationId: `create${names.one}`,
      summary: `Record one or many ${names.plural}`,
      description: "Send one object (answered 201 or with its error) or an array (always " +
        "207, each item stored or refused on its own).",
      tag,
      access: { scopes: [`${scope}:create`], rule: rules.create },
      body: { name: `${names.one}Create`, schema: bulkBody(collection.item) },
      responses: {
        201: json(`The ${names.a.replace(/^an? /, "")} stored (one object sent).`, view),
        207: json(
          "What happened to each item (an array sent).",
          named(`${names.one}MultiStatus`, multiStatusSchema(view.schema)),
        ),
        400: `${ownerError} Or the object sent is invalid.`,
        409: `The same ${names.a.replace(/^an? /, "")} is already stored (one object sent).`,
      },
      handler: ({ c, deps, params, body }) =>
        answerBulk(c, deps, collection.bulk(params[owner], deps.now()), body),
    }),
    defineEndpoint({
      method: "GET",
      path: all,
      id: ids.list,
      operationId: `list${names.many}`,
      summary: `List ${owner === "child_id" ? "a child's" : "an institution's"} ${names.plural}`,
      tag,
      access: { scopes: [`${scope}:read`], rule: rules.read },
      query: listQuery(sqlListQuerySchema, collection.filters, { window: true }),
      responses: {
        200: list(`A page of ${names.plural}.`, view),
        400: `${ownerError} Or a query value is invalid.`,
      },
      handler: async ({ c, deps: { db, now }, params, query }) => {
        const ownerId = params[owner];
        const written = await collection.listJson?.(db, ownerId, query, now());
        if (written) {
          c.header("X-Total-Count", String(written.total));
          return jsonText(c, written.page);
        }
        const [rows, total] = await Promise.all([
          collection.list(db, ownerId, query, now()),
          collection.count(db, ownerId),
        ]);
        return listResponse(c, rows.map(collection.toView), total);
      },
    }),
  ];
  const find = collection.find;
  if (find && ids.get) {
    endpoints.push(defineEndpoint({
      method: "GET",
      path: one,
      id: ids.get,
      operationId: `get${names.one}`,
      summary: `Get ${names.a}`,
      tag,
      access: { scopes: [`${scope}:read`], rule: rules.read },
      query: listQuery(sqlListQuerySchema, collection.filters, { window: true }),
      responses: {
        200: json(`The ${names.a.replace(/^an? /, "")}.`, view),
        400: ownerError,
        404: `The ${owner === "child_id" ? "child" : "institution"} has no such record.`,
      },
      handler: async ({ c, deps: { db, now }, params, query }) => {
        const written = await collection.findJson?.(
          db,
          params[owner],
          params[collection.idParam],
          query,
          now(),
        );
        if (written === null) throw errors.notFound(collection.label);
        if (written !== undefined) return jsonText(c, written);
        const row = await find(db, params[owner], params[collection.idParam], query, now());
        if (!row) throw errors.notFound(collection.label);
        return c.json(collection.toView(row), Status.OK);
      },
    }));
  }
  if (ids.patch) {
    endpoints.push(defineEndpoint({
      method: "PATCH",
      path: one,
      id: ids.patch,
      operationId: `update${names.one}`,
      summary: "Discontinued: always 405",
      description: "Records are not changed once stored: delete and record again.",
      tag,
      access: {
        scopes: [`${scope}:update`],
        params: { [owner]: textParam("owner id"), [collection.idParam]: textParam("id") },
      },
      responses: { 405: "Always: the method is discontinued." },
      handler: () => {
        throw trackingErrors.discontinued();
      },
    }));
  }
  endpoints.push(defineEndpoint({
    method: "DELETE",
    path: one,
    id: ids.delete,
    operationId: `delete${names.one}`,
    summary: `Delete ${names.a}`,
    tag,
    access: { scopes: [`${scope}:delete`], rule: rules.delete },
    responses: { 204: empty("Deleted, or there was no such record."), 400: ownerError },
    handler: async ({ c, deps: { db }, params }) => {
      await collection.remove(db, params[owner], params[collection.idParam]);
      return noContent(c);
    },
  }));
  return endpoints;
}
