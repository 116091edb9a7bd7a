import { Hono } from "hono";
import { hashPassword, verifyPassword } from "../../auth/passwords.ts";
import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { noContent, pathParam } from "../../core/responses.ts";
import { validate } from "../../core/validation/validator.ts";
import { accountErrors } from "./users.errors.ts";
import { changePasswordBody, resetPasswordBody } from "./users.schemas.ts";
import { deleteUser, findUser, setPasswordHash } from "./users.store.ts";

const notFound = () => errors.notFound("User");

/**
 * `/v1/users/:user_id` (account.md §4): delete a user with everything hanging on it,
 * change one's own password, reset anyone's. Access rules: see access/permissions.ts.
 * Passwords are never returned or logged.
 */
export function userRoutes({ db, now, log, wearables }: Deps) {
  return new Hono<AppEnv>()
    .delete("/:user_id", async (c) => {
      const id = pathParam(c, "user_id");
      const outcome = await deleteUser(db, id, now());
      if (outcome === "deleted") {
        log.info("user deleted", { user_id: id });
        // A deleted child's wearable grant was queued for revocation in the transaction:
        // revoke it at the provider now (after the commit, off the request) rather than at
        // the revoker's next tick. With nothing queued this is one cheap query.
        wearables.revokeQueuedSoon();
      }
      return noContent(c);
    })
    .put("/:user_id/password", validate("json", changePasswordBody), async (c) => {
      const id = pathParam(c, "user_id");
      const { old_password, new_password } = c.req.valid("json");
      const user = await findUser(db, id);
      if (!user) throw notFound();
      if (!await verifyPassword(old_password, user.passwordHash)) {
        throw accountErrors.passwordMismatch();
      }
      if (!await setPasswordHash(db, id, await hashPassword(new_password))) throw notFound();
      return noContent(c);
    })
    .post(
      "/:user_id/reset-password",
      validate("json", resetPasswordBody, { missing: accountErrors.newPasswordMissing }),
      async (c) => {
        const id = pathParam(c, "user_id");
        const { new_password } = c.req.valid("json");
        if (!await findUser(db, id)) throw notFound();
        if (!await setPasswordHash(db, id, await hashPassword(new_password))) throw notFound();
        return noContent(c);
      },
    );
}
