import { ApiError, errors } from "../../core/errors.ts";
import { Status } from "../../core/status.ts";

/** The account-specific message templates (account.md §13). */
export const accountErrors = {
  /** `password` sent to a PATCH route; the description quotes the path id (sic: no space). */
  passwordNotUpdatable: (id: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "This parameter could not be updated.",
      "A specific route to update user password already exists." +
        `Access: PATCH /users/${id}/password to update your password.`,
    ),
  childrenNotRegistered: (ids: string[]) =>
    new ApiError(
      Status.BAD_REQUEST,
      "It is necessary for children to be registered before proceeding.",
      `The following IDs were verified without registration: ${ids.join(", ")}`,
    ),
  childrenNotArray: () => errors.invalidFields("children must be an array!"),
  childrenItemWithoutId: () =>
    errors.invalidFields(
      "Children field contains invalid IDs. It is expected that each item in the array is a " +
        "24-byte hex string like this: 507f191e810c19729de860ea",
    ),
  childrenIdsNotHex: (ids: string[]) =>
    errors.invalidFields(
      `The following IDs from children attribute are not in valid format: ${ids.join(", ")}`,
    ),
  passwordMismatch: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "Password does not match!",
      "The old password parameter does not match with the actual user password.",
    ),
  newPasswordMissing: () =>
    new ApiError(Status.BAD_REQUEST, "Required field not provided...", "new_password is required!"),
  associationWithoutChild: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "The association could not be performed because the child does not have a record.",
    ),
  queryValueInvalid: (value: string, field: string) =>
    new ApiError(Status.BAD_REQUEST, `The value '${value}' of ${field} field is invalid.`),
};
