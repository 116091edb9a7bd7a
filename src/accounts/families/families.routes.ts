import type { Hono } from "hono";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent, pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate } from "../../core/validation/validator.ts";
import { nestedChildView } from "../children/children.store.ts";
import { accountErrors } from "../users/users.errors.ts";
import { applyUserListQuery } from "../users/users.list.ts";
import { userResourceRoutes } from "../users/users.resource.ts";
import { findUser } from "../users/users.store.ts";
import { createFamilyBody, updateFamilyBody } from "./families.schemas.ts";
import {
  childrenOfFamilies,
  familyViews,
  insertFamily,
  linkChild,
  unlinkChild,
  updateFamily,
} from "./families.store.ts";

const LABEL = "Family";

/**
 * `/v1/families` (account.md §9): the user routes, the family's children, and associating
 * and dissociating a child. Access rules: see access/permissions.ts.
 */
export function familyRoutes(deps: Deps): Hono<AppEnv> {
  const { db } = deps;
  return userResourceRoutes(deps, {
    type: "family",
    label: LABEL,
    idParam: "family_id",
    create: createFamilyBody,
    update: updateFamilyBody,
    references: (body) => ({
      username: body.username,
      childIds: body.children,
      institutionId: body.institution_id,
    }),
    insert: insertFamily,
    applyChanges: updateFamily,
    views: familyViews,
  })
    // §9.5: a username filter or sort and `limit` (the first N) apply to the children;
    // `page` and other keys are ignored (the original applied them to the family record).
    .get("/:family_id/children", validate("query", listQuerySchema), async (c) => {
      const id = pathParam(c, "family_id");
      const family = await findUser(db, id, "family");
      if (!family) {
        c.header("X-Total-Count", "0");
        throw errors.notFound(LABEL);
      }
      const children = (await childrenOfFamilies(db, [id])).get(id) ?? [];
      const query = c.req.valid("query");
      const shown = applyUserListQuery(
        children,
        {
          ...query,
          page: 1,
          offset: 0,
          filters: query.filters.filter((f) => f.field === "username"),
          sort: query.sort.filter((key) => key.field === "username"),
        },
        {},
        { given: "stored" },
      );
      return listResponse(c, shown.map(nestedChildView), children.length);
    })
    .post("/:family_id/children/:child_id", async (c) => {
      const familyId = pathParam(c, "family_id");
      const childId = pathParam(c, "child_id");
      const family = await db.transaction(async (tx) => {
        const family = await findUser(tx, familyId, "family");
        if (!family) throw errors.notFound(LABEL, Status.BAD_REQUEST);
        if (!await findUser(tx, childId, "child")) throw accountErrors.associationWithoutChild();
        await linkChild(tx, familyId, childId);
        return family;
      });
      return c.json((await familyViews(db, [family]))[0], Status.OK);
    })
    .delete("/:family_id/children/:child_id", async (c) => {
      const familyId = pathParam(c, "family_id");
      if (!await findUser(db, familyId, "family")) throw errors.notFound(LABEL);
      await unlinkChild(db, familyId, pathParam(c, "child_id"));
      return noContent(c);
    });
}
