import { Hono } from "hono";
import type { AppEnv, Deps } from "../../core/context.ts";
import { ApiError, errors, isUniqueViolation } from "../../core/errors.ts";
import { applyListQuery, listQuerySchema } from "../../core/list-query.ts";
import { listResponse, noContent, pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { validate } from "../../core/validation/validator.ts";
import { createInstitutionBody, updateInstitutionBody } from "./institutions.schemas.ts";
import {
  allInstitutions,
  countInstitutions,
  deleteUnreferencedInstitution,
  findInstitution,
  insertInstitution,
  institutionNameTaken,
  institutionView,
  updateInstitution,
} from "./institutions.store.ts";

const notFound = () => errors.notFound("Institution");

/** Fields a list may filter and sort on (their stored names). */
const listFields = {
  type: (row: { type: string }) => row.type,
  name: (row: { name: string }) => row.name,
  address: (row: { address: string | null }) => row.address,
  latitude: (row: { latitude: string | null }) => row.latitude,
  longitude: (row: { longitude: string | null }) => row.longitude,
};

/** `/v1/institutions` (account.md §5). Access rules: see access/permissions.ts. */
export function institutionRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .post("/", validate("json", createInstitutionBody), async (c) => {
      const fields = c.req.valid("json");
      if (await institutionNameTaken(db, fields.name)) {
        throw errors.alreadyRegistered("Institution");
      }
      try {
        const row = await insertInstitution(db, fields, now());
        return c.json(institutionView(row), Status.CREATED);
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.alreadyRegistered("Institution");
        throw error;
      }
    })
    .get("/", validate("query", listQuerySchema), async (c) => {
      const [rows, total] = await Promise.all([allInstitutions(db), countInstitutions(db)]);
      const page = applyListQuery(rows, c.req.valid("query"), listFields);
      return listResponse(c, page.map(institutionView), total);
    })
    .get("/:institution_id", async (c) => {
      const row = await findInstitution(db, pathParam(c, "institution_id"));
      if (!row) throw notFound();
      return c.json(institutionView(row), Status.OK);
    })
    .patch("/:institution_id", validate("json", updateInstitutionBody), async (c) => {
      const changes = c.req.valid("json");
      // The name check comes before existence (account.md §5.4); re-sending the institution's
      // own current name is not a conflict (the original's 409 there was a quirk, §15).
      const id = pathParam(c, "institution_id");
      if (changes.name !== undefined && await institutionNameTaken(db, changes.name, id)) {
        throw errors.alreadyRegistered("Institution");
      }
      try {
        const row = await updateInstitution(db, id, changes);
        if (!row) throw notFound();
        return c.json(institutionView(row), Status.OK);
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.alreadyRegistered("Institution");
        throw error;
      }
    })
    .delete("/:institution_id", async (c) => {
      const outcome = await deleteUnreferencedInstitution(db, pathParam(c, "institution_id"));
      if (outcome === "referenced") {
        throw new ApiError(
          Status.BAD_REQUEST,
          "The institution is associated with one or more users.",
        );
      }
      return noContent(c);
    });
}
