/**
 * Admin pages for the user types that have an API resource (children, educators, health
 * professionals, families, applications): a list per type and create/edit forms. The
 * admin is seeded and has no resource, so it has no page. Everything goes through the
 * type's own routes (`/v1/children`, `/v1/educators`, …).
 */
import type { Handler } from "hono";
import { GENDERS } from "../accounts/children/children.schemas.ts";
import type { AppEnv } from "../core/context.ts";
import type { Api } from "./api.ts";
import type { FieldSpec, FormValues } from "./forms.ts";
import { html, type HtmlPart } from "./html.ts";
import { errorPage, renderPage } from "./layout.ts";
import {
  type Dashboard,
  type FormRequest,
  type PageRequest,
  signedIn,
  signedInForm,
} from "./page.ts";
import {
  childLink,
  childLinks,
  CHOICE_LIMIT,
  doneNotice,
  institutionOptions,
  institutionsById,
  type InstitutionView,
  listBody,
  PAGE_SIZE,
  pageNumber,
  totalOf,
} from "./parts.ts";
import { type FormPage, showForm, submitCreate, submitUpdate } from "./resource-form.ts";
import { dateTime } from "./scale.ts";
import { BASE } from "./session.ts";
import { statusText } from "./wearable.ts";

/** A user as the API shows it (the keys any type may have). */
export interface UserView {
  id: string;
  username: string;
  institution_id?: string;
  last_login?: string;
  gender?: string;
  age?: string;
  age_calc_date?: string;
  last_sync?: string;
  fitbit_status?: string;
  application_name?: string;
  children?: { id: string; username: string }[];
  children_groups?: { id: string; name: string }[];
}

/** What the forms and lists of a type need besides the user itself. */
interface Choices {
  institutions: Map<string, InstitutionView>;
  /** All children (families' forms only). */
  children: UserView[];
}

interface UserKind {
  title: string;
  singular: string;
  /** The API collection. */
  api: string;
  /** Fields of its forms (the password only when creating). */
  fields(choices: Choices, creating: boolean): FieldSpec[];
  /** Column headings and one row's cells, after the username. */
  columns: string[];
  cells(user: UserView, choices: Choices): HtmlPart[];
  needsChildren?: boolean;
  /** Fields the API wants together (age with the date it held). */
  together?: readonly string[];
}

const username: FieldSpec = { name: "username", label: "Username", kind: "text" };
const password: FieldSpec = {
  name: "password",
  label: "Password",
  kind: "password",
  autocomplete: "new-password",
};

function institutionField(choices: Choices, optional = false): FieldSpec {
  return {
    name: "institution_id",
    label: "Institution",
    kind: "select",
    options: institutionOptions(choices.institutions, optional ? "None" : "Choose an institution"),
    aliases: ["institution"],
  };
}

const withPassword = (creating: boolean, fields: FieldSpec[]) =>
  creating ? [fields[0], password, ...fields.slice(1)] : fields;

const institutionName = (user: UserView, choices: Choices) =>
  user.institution_id
    ? choices.institutions.get(user.institution_id)?.name ?? user.institution_id
    : "—";

const when = (iso: string | undefined) => iso ? dateTime(Date.parse(iso)) : "—";

const professional = (title: string, singular: string, api: string): UserKind => ({
  title,
  singular,
  api,
  fields: (choices, creating) => withPassword(creating, [username, institutionField(choices)]),
  columns: ["Institution", "Groups", "Last sign-in"],
  cells: (user, choices) => [
    institutionName(user, choices),
    user.children_groups?.length ?? 0,
    when(user.last_login),
  ],
});

/** The user types, by the path segment of their pages. */
const KINDS: Record<string, UserKind> = {
  children: {
    title: "Children",
    singular: "child",
    api: "/v1/children",
    fields: (choices, creating) =>
      withPassword(creating, [
        username,
        institutionField(choices),
        {
          name: "gender",
          label: "Gender",
          kind: "select",
          options: [
            { value: "", label: "Choose" },
            ...GENDERS.map((g) => ({ value: g, label: g })),
          ],
          aliases: ["genders"],
        },
        {
          name: "age",
          label: "Age",
          kind: "text",
          hint: "Years (with the date they held), or a birth date as YYYY-MM-DD",
        },
        {
          name: "age_calc_date",
          label: "Date the age held",
          kind: "text",
          hint: "YYYY-MM-DD; needed when the age is in years",
        },
      ]),
    columns: ["Institution", "Gender", "Age", "Wearable", "Last sync"],
    cells: (user, choices) => [
      institutionName(user, choices),
      user.gender ?? "—",
      user.age ?? "—",
      statusText(user.fitbit_status),
      when(user.last_sync),
    ],
    together: ["age", "age_calc_date"],
  },
  educators: professional("Educators", "educator", "/v1/educators"),
  healthprofessionals: professional(
    "Health professionals",
    "health professional",
    "/v1/healthprofessionals",
  ),
  families: {
    title: "Families",
    singular: "family",
    api: "/v1/families",
    fields: (choices, creating) =>
      withPassword(creating, [
        username,
        institutionField(choices),
        {
          name: "children",
          label: "Children",
          kind: "choices",
          options: choices.children.map((child) => ({ value: child.id, label: child.username })),
        },
      ]),
    columns: ["Institution", "Children"],
    cells: (user, choices) => [
      institutionName(user, choices),
      childLinks(user.children ?? [], html`<span class="muted">none</span>`),
    ],
    needsChildren: true,
  },
  applications: {
    title: "Applications",
    singular: "application",
    api: "/v1/applications",
    fields: (choices, creating) =>
      withPassword(creating, [
        username,
        { name: "application_name", label: "Application name", kind: "text" },
        institutionField(choices, true),
      ]),
    columns: ["Application name", "Institution"],
    cells: (user, choices) => [user.application_name ?? "—", institutionName(user, choices)],
  },
};

function kindOf(request: PageRequest): UserKind | undefined {
  const slug = request.c.req.param("kind") ?? "";
  return Object.hasOwn(KINDS, slug) ? KINDS[slug] : undefined;
}

async function choicesFor(api: Api, kind: UserKind): Promise<Choices> {
  const [institutions, children] = await Promise.all([
    institutionsById(api),
    kind.needsChildren
      ? api.get<UserView[]>("/v1/children", { sort: "username", limit: CHOICE_LIMIT })
        .then((a) => a.body)
      : Promise.resolve([]),
  ]);
  return { institutions, children };
}

/** A user's current values, as its form shows them. */
function valuesOf(user: UserView): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(user)) {
    if (typeof value === "string") values[key] = value;
  }
  if (user.children) values.children = user.children.map((child) => child.id);
  return values;
}

/** Runs a user page for a known type; an unknown one is a 404 page. */
function withKind<R extends PageRequest>(
  run: (request: R, kind: UserKind, slug: string) => Promise<Response>,
): (request: R) => Promise<Response> {
  return (request) => {
    const kind = kindOf(request);
    if (!kind) return Promise.resolve(errorPage(request.c, request.session, 404));
    return run(request, kind, request.c.req.param("kind")!);
  };
}

/** `GET /app/users/:kind`. */
export function userList(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    withKind(async (request, kind, slug) => {
      const { c, session, api } = request;
      const page = pageNumber(c);
      const [answer, choices] = await Promise.all([
        api.get<UserView[]>(kind.api, { sort: "username", page, limit: PAGE_SIZE }),
        choicesFor(api, { ...kind, needsChildren: false }),
      ]);
      const path = `${BASE}/users/${slug}`;
      const rows = answer.body.map((user) =>
        html`<tr><td>${slug === "children" ? childLink(user) : user.username}</td>${
          kind.cells(user, choices).map((cell) => html`<td>${cell}</td>`)
        }<td><a href="${path}/${user.id}/edit" aria-label="Edit ${user.username}">Edit</a></td></tr>`
      );
      return renderPage(c, {
        title: kind.title,
        session,
        notice: doneNotice(c),
        body: listBody({
          path,
          newLabel: `New ${kind.singular}`,
          empty: `No ${kind.title.toLowerCase()} yet: create the first one.`,
          headings: ["Username", ...kind.columns],
          rows,
          page,
          total: totalOf(answer.headers, rows.length),
        }),
      });
    }),
  );
}

function formPage(kind: UserKind, slug: string, choices: Choices, user?: UserView): FormPage {
  const list = `${BASE}/users/${slug}`;
  return {
    title: user ? `Edit ${user.username}` : `New ${kind.singular}`,
    action: user ? `${list}/${user.id}` : list,
    fields: kind.fields(choices, !user),
    list,
    uniqueField: "username",
  };
}

/** `GET /app/users/:kind/new`. */
export function newUser(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    withKind(async (request, kind, slug) => {
      const choices = await choicesFor(request.api, kind);
      return showForm(request, formPage(kind, slug, choices));
    }),
  );
}

/** `POST /app/users/:kind`: `POST` to the type's collection. */
export function createUser(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(
    dash,
    withKind<FormRequest>(async (request, kind, slug) => {
      const choices = await choicesFor(request.api, kind);
      return await submitCreate(request, formPage(kind, slug, choices), kind.api);
    }),
  );
}

async function current(request: PageRequest, kind: UserKind) {
  const path = `${kind.api}/${encodeURIComponent(request.c.req.param("user")!)}`;
  const [{ body }, choices] = await Promise.all([
    request.api.get<UserView>(path),
    choicesFor(request.api, kind),
  ]);
  return { path, user: body, choices };
}

/** `GET /app/users/:kind/:user/edit`. */
export function editUser(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    withKind(async (request, kind, slug) => {
      const { user, choices } = await current(request, kind);
      return showForm(request, formPage(kind, slug, choices, user), valuesOf(user));
    }),
  );
}

/** `POST /app/users/:kind/:user`: `PATCH` of the changed fields. */
export function updateUser(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(
    dash,
    withKind<FormRequest>(async (request, kind, slug) => {
      const { path, user, choices } = await current(request, kind);
      // Fields the API reads together travel together (an age in years needs its date).
      const together = (changes: Record<string, unknown>) => {
        if (!kind.together?.some((name) => name in changes)) return changes;
        const joined = { ...changes };
        for (const name of kind.together) {
          const value = request.form[name];
          if (typeof value === "string" && value !== "") joined[name] = value;
        }
        return joined;
      };
      const page = formPage(kind, slug, choices, user);
      return await submitUpdate(request, page, path, valuesOf(user), together);
    }),
  );
}
