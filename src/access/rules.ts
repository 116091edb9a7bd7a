import type { Caller } from "../auth/tokens.ts";
import type { UserType } from "../auth/scopes.ts";
import { type ApiError, errors } from "../core/errors.ts";
import type { Executor } from "../db/client.ts";
import {
  ask,
  childExistsFact,
  childIdByNfcTag,
  childInGroupsOfFact,
  childOfFamilyFact,
  type Fact,
  institutionExistsFact,
  memberOfInstitutionFact,
} from "./relations.ts";

/**
 * Answers facts about the database in one statement. The access guard passes one that
 * also asks whether the token is revoked, and refuses it then (its 401 comes first).
 */
export type Ask = (facts: readonly Fact[]) => Promise<boolean[]>;

/** What an ownership rule sees: the caller and the route's validated path parameters. */
export interface RuleInput {
  db: Executor;
  caller: Caller;
  params: Record<string, string>;
  /** How the rule asks its facts (default: one statement on `db`). */
  ask?: Ask;
}

/** The input's way of asking facts. */
const askerOf = (input: RuleInput): Ask => input.ask ?? ((facts) => ask(input.db, facts));

/** The one fact a rule asks. */
async function askOne(input: RuleInput, question: Fact): Promise<boolean> {
  const [answer] = await askerOf(input)([question]);
  return answer;
}

/** The check of a rule: undefined passes, an error refuses. */
export type RuleCheck = (input: RuleInput) => Promise<ApiError | undefined>;

/**
 * An ownership or existence rule (gateway.md §3.2): a check, named for the API reference
 * (`x-ownership-rule`) and the permission table, with a sentence saying who passes it.
 */
export interface Rule extends RuleCheck {
  /** The name the reference and docs/permissions.md show. */
  readonly ruleName: string;
  /** Who passes, in words (shown to client developers). */
  readonly who: string;
}

/** A named rule. */
export function rule(ruleName: string, who: string, check: RuleCheck): Rule {
  return Object.assign((input: RuleInput) => check(input), { ruleName, who });
}

const forbidden = () => errors.forbidden();
const allow = undefined;

/** R-SELF: admin passes; anyone else only on the path id named after its own type. */
export const self = rule(
  "self",
  "admin for any; anyone else only on its own id",
  ({ caller, params }) => {
    if (caller.type === "admin") return Promise.resolve(allow);
    const own = params[`${caller.type}_id`];
    return Promise.resolve(own !== undefined && own === caller.sub ? allow : forbidden());
  },
);

/** R-GROUP-OWNER: only the educator or health professional named in the path. */
export function groupOwner(ownerType: "educator" | "healthprofessional"): Rule {
  const who = ownerType === "educator" ? "educator" : "health professional";
  return rule(
    "groupOwner",
    `only the ${who} named in the path`,
    ({ caller, params }) =>
      Promise.resolve(
        caller.type === ownerType && params[`${ownerType}_id`] === caller.sub ? allow : forbidden(),
      ),
  );
}

/** R-CHILD-PROFILE: a child itself, a family its associated children; admin, educator, hp any. */
export const childProfile = rule(
  "childProfile",
  "admin, educators and health professionals for any child; a family for its own children; " +
    "a child only itself",
  async (input) => await mayReadProfile(input, input.params.child_id),
);

async function mayReadProfile(input: RuleInput, childId: string) {
  const { caller } = input;
  switch (caller.type) {
    case "admin":
    case "educator":
    case "healthprofessional":
      return allow;
    case "child":
      return childId === caller.sub ? allow : forbidden();
    case "family":
      return await askOne(input, childOfFamilyFact(caller.sub, childId)) ? allow : forbidden();
    default:
      return forbidden();
  }
}

/**
 * The NFC lookup closes gateway.md §3.6 item 3: once the tag is resolved, R-CHILD-PROFILE
 * applies to the child found. An unknown tag passes here and gets the handler's 404.
 */
export const childProfileByNfcTag = rule(
  "childProfileByNfcTag",
  `${childProfile.who} (applied to the child holding the tag)`,
  async (input) => {
    const childId = await childIdByNfcTag(input.db, input.params.nfc_tag);
    return childId === undefined ? allow : await mayReadProfile(input, childId);
  },
);

/** R-INST-READ: a child or family only its own institution; everyone else any. */
export const institutionRead = rule(
  "institutionRead",
  "children and families only their own institution; everyone else any",
  async (input) => {
    const { caller, params } = input;
    if (caller.type !== "child" && caller.type !== "family") return allow;
    return await askOne(input, memberOfInstitutionFact(caller.sub, params.institution_id))
      ? allow
      : forbidden();
  },
);

/** R-INST-UPDATE: admin any; educator and health professional only their own institution. */
export const institutionUpdate = rule(
  "institutionUpdate",
  "admin any; educators and health professionals only their own institution",
  async (input) => {
    const { caller, params } = input;
    if (caller.type === "admin") return allow;
    if (caller.type !== "educator" && caller.type !== "healthprofessional") return forbidden();
    return await askOne(input, memberOfInstitutionFact(caller.sub, params.institution_id))
      ? allow
      : forbidden();
  },
);

/** R-USER-DELETE: the admin cannot delete itself. */
export const notSelf = rule(
  "notSelf",
  "never on one's own id",
  ({ caller, params }) => Promise.resolve(params.user_id === caller.sub ? forbidden() : allow),
);

const PASSWORD_CHANGERS: readonly UserType[] = [
  "admin",
  "educator",
  "family",
  "healthprofessional",
];

/** R-PASSWORD: admin, educator, family or health professional, on its own id only. */
export const ownPassword = rule(
  "ownPassword",
  "admin, educators, families and health professionals, on their own id only",
  ({ caller, params }) =>
    Promise.resolve(
      PASSWORD_CHANGERS.includes(caller.type) && params.user_id === caller.sub
        ? allow
        : forbidden(),
    ),
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

/**
 * The facts are asked together (existence and the caller's relation, in one statement)
 * and then judged in the rule's order: a child on another child, no such child, then
 * the relation.
 */
function childAccessRule(name: string, access: ChildAccess): Rule {
  return rule(name, describeChildAccess(access), async (input) => {
    const { caller, params } = input;
    const childId = params[access.param];
    const itself = access.self && caller.type === "child";
    if (itself && childId !== caller.sub) return forbidden();
    const relation = relationOf(access, caller, childId);
    const [exists, related] = await askerOf(input)(
      relation ? [childExistsFact(childId), relation] : [childExistsFact(childId)],
    );
    if (!exists) return errors.noSuchChild(childId);
    if (itself || access.any.includes(caller.type)) return allow;
    // No relation asked: the caller's type reaches no child here.
    return related ? allow : forbidden();
  });
}

/** The fact that lets the caller reach the child, when its type needs one. */
function relationOf(access: ChildAccess, caller: Caller, childId: string): Fact | undefined {
  if (access.self && caller.type === "child") return undefined;
  if (access.any.includes(caller.type)) return undefined;
  if (access.groups.includes(caller.type)) return childInGroupsOfFact(caller.sub, childId);
  if (caller.type === "family") return childOfFamilyFact(caller.sub, childId);
  return undefined;
}

const TYPE_NAMES: Record<UserType, string> = {
  admin: "admin",
  application: "applications",
  child: "children",
  educator: "educators",
  family: "families",
  healthprofessional: "health professionals",
};

/** "applications for any child; educators … for children in their groups; …". */
function describeChildAccess(access: ChildAccess): string {
  const names = (types: readonly UserType[]) => types.map((t) => TYPE_NAMES[t]).join(" and ");
  return [
    access.any.length > 0 && `${names(access.any)} for any existing child`,
    access.groups.length > 0 && `${names(access.groups)} for children in one of their groups`,
    "a family for its own children",
    access.self && "a child for itself",
  ].filter(Boolean).join("; ");
}

/** R-CHILD-DATA for creating tracking data. */
export const childDataCreate = childAccessRule("childDataCreate", {
  any: ["application"],
  groups: ["educator"],
  self: true,
  param: "child_id",
});

/** R-CHILD-DATA for reading tracking data. */
export const childDataRead = childAccessRule("childDataRead", {
  any: ["admin", "application"],
  groups: ["educator", "healthprofessional"],
  self: true,
  param: "child_id",
});

/** R-CHILD-DATA for deleting tracking data (children lack the scopes anyway). */
export const childDataDelete = childAccessRule("childDataDelete", {
  any: ["application"],
  groups: ["educator"],
  self: false,
  param: "child_id",
});

/** R-FITBIT: as R-CHILD-DATA read, but on `user_id` and without admin. */
export const fitbitChild = childAccessRule("fitbitChild", {
  any: ["application"],
  groups: ["educator", "healthprofessional"],
  self: true,
  param: "user_id",
});

/** R-INST-EXISTS: the institution must exist; no ownership. */
export const institutionMustExist = rule(
  "institutionMustExist",
  "anyone holding the scope, on an existing institution",
  async (input) =>
    await askOne(input, institutionExistsFact(input.params.institution_id))
      ? allow
      : errors.noSuchInstitution(input.params.institution_id),
);

/** Runs `rule` only when the parameters have the shape `when` accepts (gateway.md §3.3). */
export function onlyWhen(
  when: (params: Record<string, string>) => boolean,
  inner: Rule,
): Rule {
  return rule(
    inner.ruleName,
    inner.who,
    (input) => when(input.params) ? inner(input) : Promise.resolve(allow),
  );
}

/** Admins only, whatever the token's scopes (the audit trail). */
export const adminOnly = rule(
  "adminOnly",
  "admins only",
  ({ caller }) => Promise.resolve(caller.type === "admin" ? allow : forbidden()),
);
