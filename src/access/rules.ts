import type { Caller } from "../auth/tokens.ts";
import type { UserType } from "../auth/scopes.ts";
import { type ApiError, errors } from "../core/errors.ts";
import type { Executor } from "../db/client.ts";
import {
  childExists,
  childIdByNfcTag,
  childInGroupsOf,
  childOfFamily,
  institutionExists,
  institutionOf,
} from "./relations.ts";

/** What an ownership rule sees: the caller and the route's validated path parameters. */
export interface RuleInput {
  db: Executor;
  caller: Caller;
  params: Record<string, string>;
}

/** An ownership or existence rule (gateway.md §3.2): undefined passes, an error refuses. */
export type Rule = (input: RuleInput) => Promise<ApiError | undefined>;

const forbidden = () => errors.forbidden();
const allow = undefined;

/** R-SELF: admin passes; anyone else only on the path id named after its own type. */
export const self: Rule = ({ caller, params }) => {
  if (caller.type === "admin") return Promise.resolve(allow);
  const own = params[`${caller.type}_id`];
  return Promise.resolve(own !== undefined && own === caller.sub ? allow : forbidden());
};

/** R-GROUP-OWNER: only the educator or health professional named in the path. */
export function groupOwner(ownerType: "educator" | "healthprofessional"): Rule {
  const rule: Rule = ({ caller, params }) =>
    Promise.resolve(
      caller.type === ownerType && params[`${ownerType}_id`] === caller.sub ? allow : forbidden(),
    );
  // Named for the API reference's `x-ownership-rule` (an arrow returned here has no name).
  return Object.defineProperty(rule, "name", { value: "groupOwner" });
}

/** R-CHILD-PROFILE: a child itself, a family its associated children; admin, educator, hp any. */
export const childProfile: Rule = async ({ db, caller, params }) =>
  await mayReadProfile(db, caller, params.child_id);

async function mayReadProfile(db: Executor, caller: Caller, childId: string) {
  switch (caller.type) {
    case "admin":
    case "educator":
    case "healthprofessional":
      return allow;
    case "child":
      return childId === caller.sub ? allow : forbidden();
    case "family":
      return await childOfFamily(db, caller.sub, childId) ? allow : forbidden();
    default:
      return forbidden();
  }
}

/**
 * The NFC lookup closes gateway.md §3.6 item 3: once the tag is resolved, R-CHILD-PROFILE
 * applies to the child found. An unknown tag passes here and gets the handler's 404.
 */
export const childProfileByNfcTag: Rule = async ({ db, caller, params }) => {
  const childId = await childIdByNfcTag(db, params.nfc_tag);
  return childId === undefined ? allow : await mayReadProfile(db, caller, childId);
};

/** R-INST-READ: a child or family only its own institution; everyone else any. */
export const institutionRead: Rule = async ({ db, caller, params }) => {
  if (caller.type !== "child" && caller.type !== "family") return allow;
  return await institutionOf(db, caller.sub) === params.institution_id ? allow : forbidden();
};

/** R-INST-UPDATE: admin any; educator and health professional only their own institution. */
export const institutionUpdate: Rule = async ({ db, caller, params }) => {
  if (caller.type === "admin") return allow;
  if (caller.type !== "educator" && caller.type !== "healthprofessional") return forbidden();
  return await institutionOf(db, caller.sub) === params.institution_id ? allow : forbidden();
};

/** R-USER-DELETE: the admin cannot delete itself. */
export const notSelf: Rule = ({ caller, params }) =>
  Promise.resolve(params.user_id === caller.sub ? forbidden() : allow);

const PASSWORD_CHANGERS: readonly UserType[] = [
  "admin",
  "educator",
  "family",
  "healthprofessional",
];

/** R-PASSWORD: admin, educator, family or health professional, on its own id only. */
export const ownPassword: Rule = ({ caller, params }) =>
  Promise.resolve(
    PASSWORD_CHANGERS.includes(caller.type) && params.user_id === caller.sub ? allow : forbidden(),
  );

/** Which caller types reach which children, per operation (R-CHILD-DATA, R-FITBIT). */
interface ChildAccess {
  /** Types allowed for any existing child. */
  any: readonly UserType[];
  /** Types allowed for children in their own groups. */
  groups: readonly UserType[];
  /** A child caller may act on itself (checked before existence). */
  self: boolean;
  /** The id parameter naming the child. */
  param: "child_id" | "user_id";
}

function childAccessRule(access: ChildAccess): Rule {
  return async ({ db, caller, params }) => {
    const childId = params[access.param];
    if (access.self && caller.type === "child" && childId !== caller.sub) return forbidden();
    if (!await childExists(db, childId)) return errors.noSuchChild(childId);
    if (access.self && caller.type === "child") return allow;
    if (access.any.includes(caller.type)) return allow;
    if (access.groups.includes(caller.type)) {
      return await childInGroupsOf(db, caller.sub, childId) ? allow : forbidden();
    }
    if (caller.type === "family") {
      return await childOfFamily(db, caller.sub, childId) ? allow : forbidden();
    }
    return forbidden();
  };
}

/** R-CHILD-DATA for creating tracking data. */
export const childDataCreate = childAccessRule({
  any: ["application"],
  groups: ["educator"],
  self: true,
  param: "child_id",
});

/** R-CHILD-DATA for reading tracking data. */
export const childDataRead = childAccessRule({
  any: ["admin", "application"],
  groups: ["educator", "healthprofessional"],
  self: true,
  param: "child_id",
});

/** R-CHILD-DATA for deleting tracking data (children lack the scopes anyway). */
export const childDataDelete = childAccessRule({
  any: ["application"],
  groups: ["educator"],
  self: false,
  param: "child_id",
});

/** R-FITBIT: as R-CHILD-DATA read, but on `user_id` and without admin. */
export const fitbitChild = childAccessRule({
  any: ["application"],
  groups: ["educator", "healthprofessional"],
  self: true,
  param: "user_id",
});

/** R-INST-EXISTS: the institution must exist; no ownership. */
export const institutionMustExist: Rule = async ({ db, params }) =>
  await institutionExists(db, params.institution_id)
    ? allow
    : errors.noSuchInstitution(params.institution_id);

/** Runs `rule` only when the parameters have the shape `when` accepts (gateway.md §3.3). */
export function onlyWhen(when: (params: Record<string, string>) => boolean, rule: Rule): Rule {
  return (input) => when(input.params) ? rule(input) : Promise.resolve(allow);
}

/** Admins only, whatever the token's scopes (the audit trail). */
export const adminOnly: Rule = ({ caller }) =>
  Promise.resolve(caller.type === "admin" ? allow : forbidden());
