import { notSelf, ownPassword } from "../../access/rules.ts";
import { defineEndpoint, empty } from "../../api/endpoint.ts";
import { hashPassword, verifyPassword } from "../../auth/passwords.ts";
import "../../wearables/wearables.context.ts";
import { errors } from "../../core/errors.ts";
import { noContent } from "../../core/responses.ts";
import { accountErrors } from "./users.errors.ts";
import { changePasswordBody, resetPasswordBody } from "./users.schemas.ts";
import { deleteUser, findUser, setPasswordHash } from "./users.store.ts";

const TAG = "Users";
const notFound = () => errors.notFound("User");

/**
 * `/v1/users/:user_id` (account.md §4, AC1–AC3): delete a user with everything hanging on
 * it, change one's own password, reset anyone's. Passwords are never returned or logged.
 */
export const userEndpoints = [
  defineEndpoint({
    method: "DELETE",
    path: "/v1/users/:user_id",
    id: "AC1",
    operationId: "deleteUser",
    summary: "Delete a user (never oneself) and everything held about it",
    description: "The user's tokens stop working at once. A child's groups and families " +
      "lose it, and its tracking data and wearable authorization are deleted.",
    tag: TAG,
    access: { scopes: ["users:delete"], rule: notSelf },
    responses: { 204: empty("Deleted, or there was no such user.") },
    handler: async ({ c, deps: { db, now, log, wearables }, params }) => {
      const id = params.user_id;
      const outcome = await deleteUser(db, id, now());
      if (outcome === "deleted") {
        log.info("user deleted", { user_id: id });
        // A deleted child's wearable grant was queued for revocation in the transaction:
        // revoke it at the provider now (after the commit, off the request) rather than at
        // the revoker's next tick. With nothing queued this is one cheap query.
        wearables.revokeQueuedSoon();
      }
      return noContent(c);
    },
  }),
  defineEndpoint({
    method: "PUT",
    path: "/v1/users/:user_id/password",
    id: "AC2",
    operationId: "changePassword",
    summary: "Change one's own password",
    tag: TAG,
    access: {
      scopes: [
        "applications:update",
        "children:update",
        "educators:update",
        "families:update",
        "healthprofessionals:update",
      ],
      rule: ownPassword,
    },
    body: { name: "PasswordChange", schema: changePasswordBody },
    responses: {
      204: empty("The password changed."),
      400: "A body field is invalid or missing, or the old password does not match.",
      404: "No user has this id.",
    },
    handler: async ({ c, deps: { db }, params, body: { old_password, new_password } }) => {
      const id = params.user_id;
      const user = await findUser(db, id);
      if (!user) throw notFound();
      if (!await verifyPassword(old_password, user.passwordHash)) {
        throw accountErrors.passwordMismatch();
      }
      if (!await setPasswordHash(db, id, await hashPassword(new_password))) throw notFound();
      return noContent(c);
    },
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/reset-password",
    id: "AC3",
    operationId: "resetPassword",
    summary: "Reset any user's password",
    tag: TAG,
    access: { scopes: ["users:resetPassword"] },
    body: {
      name: "PasswordReset",
      schema: resetPasswordBody,
      report: { missing: accountErrors.newPasswordMissing },
    },
    responses: { 204: empty("The password changed."), 404: "No user has this id." },
    handler: async ({ c, deps: { db }, params, body: { new_password } }) => {
      const id = params.user_id;
      if (!await findUser(db, id)) throw notFound();
      if (!await setPasswordHash(db, id, await hashPassword(new_password))) throw notFound();
      return noContent(c);
    },
  }),
];
