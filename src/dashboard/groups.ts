/**
 * Educators' and health professionals' pages: their children groups (with the children
 * in them, each a link to the child's page) and the forms to create and edit a group,
 * all through `/v1/{educators|healthprofessionals}/:id/children/groups`.
 */
import type { Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import type { FieldSpec, FormValues } from "./forms.ts";
import { html } from "./html.ts";
import { errorPage, renderPage } from "./layout.ts";
import {
  type Dashboard,
  type FormRequest,
  type PageRequest,
  signedIn,
  signedInForm,
} from "./page.ts";
import { childLinks, CHOICE_LIMIT, doneNotice } from "./parts.ts";
import { type FormPage, showForm, submitCreate, submitUpdate } from "./resource-form.ts";
import { BASE } from "./session.ts";
import type { UserView } from "./users.ts";

const LIST = `${BASE}/groups`;

/** A group as the API shows it. */
interface GroupView {
  id: string;
  name: string;
  school_class?: string;
  children: { id: string; username: string }[];
}

/** The API path of the signed-in professional's own record, or undefined for other types. */
function ownerPath({ session }: PageRequest): string | undefined {
  if (session.type === "educator") return `/v1/educators/${session.userId}`;
  if (session.type === "healthprofessional") return `/v1/healthprofessionals/${session.userId}`;
  return undefined;
}

/** Runs a group page for an educator or health professional; others get the 403 page. */
function asOwner<R extends PageRequest>(
  run: (request: R, owner: string) => Promise<Response>,
): (request: R) => Promise<Response> {
  return (request) => {
    const owner = ownerPath(request);
    if (!owner) return Promise.resolve(errorPage(request.c, request.session, 403));
    return run(request, owner);
  };
}

/** `GET /app/groups`: the user's groups and their children. */
export function groupList(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    asOwner(async ({ c, session, api }, owner) => {
      const { body: groups } = await api.get<GroupView[]>(`${owner}/children/groups`, {
        sort: "name",
        limit: CHOICE_LIMIT,
      });
      const cards = groups.map((group) =>
        html`
          <section class="card"
            aria-labelledby="g-${group.id}"><h2 id="g-${group.id}">${group
              .name}${group.school_class && html`
              <span class="muted note">· class ${group.school_class}</span>
            `}</h2>${childLinks(
              group.children,
              html`<p class="empty">No children in this group: edit it to add some.</p>`,
            )}<p><a href="${LIST}/${group
              .id}/edit" aria-label="Edit ${group.name}">Edit group</a></p></section>
        `
      );
      return renderPage(c, {
        title: "Groups",
        session,
        notice: doneNotice(c),
        body: html`<div class="actions"><a class="button" href="${LIST}/new">New group</a></div>${
          cards.length ? cards : html`
            <div class="card">
              <p class="empty">No groups yet: create one and choose its children.</p>
            </div>
          `
        }`,
      });
    }),
  );
}

/**
 * The children a group may be made of: those of the owner's institution (the API's
 * list, filtered by it), plus any already in the group.
 */
async function childChoices({ api }: PageRequest, owner: string, group?: GroupView) {
  const { body: me } = await api.get<UserView>(owner);
  const { body: children } = me.institution_id
    ? await api.get<UserView[]>("/v1/children", {
      institution: me.institution_id,
      sort: "username",
      limit: CHOICE_LIMIT,
    })
    : { body: [] as UserView[] };
  const listed = new Set(children.map((child) => child.id));
  const extra = (group?.children ?? []).filter((child) => !listed.has(child.id));
  return [...children, ...extra].map((child) => ({ value: child.id, label: child.username }));
}

function fields(options: { value: string; label: string }[]): FieldSpec[] {
  return [
    { name: "name", label: "Name", kind: "text" },
    { name: "school_class", label: "School class", kind: "text", hint: "Optional, e.g. 4A" },
    { name: "children", label: "Children", kind: "choices", options },
  ];
}

function formPage(options: { value: string; label: string }[], group?: GroupView): FormPage {
  return {
    title: group ? `Edit ${group.name}` : "New group",
    action: group ? `${LIST}/${group.id}` : LIST,
    fields: fields(options),
    list: LIST,
    uniqueField: "name",
  };
}

function valuesOf(group: GroupView): FormValues {
  return {
    name: group.name,
    ...(group.school_class !== undefined && { school_class: group.school_class }),
    children: group.children.map((child) => child.id),
  };
}

/** `GET /app/groups/new`. */
export function newGroup(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    asOwner(async (request, owner) =>
      showForm(request, formPage(await childChoices(request, owner)))
    ),
  );
}

/** `POST /app/groups`: `POST …/children/groups`. */
export function createGroup(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(
    dash,
    asOwner<FormRequest>(async (request, owner) => {
      const page = formPage(await childChoices(request, owner));
      return await submitCreate(request, page, `${owner}/children/groups`);
    }),
  );
}

async function current(request: PageRequest, owner: string) {
  const path = `${owner}/children/groups/${encodeURIComponent(request.c.req.param("group")!)}`;
  const { body: group } = await request.api.get<GroupView>(path);
  return { path, group, page: formPage(await childChoices(request, owner, group), group) };
}

/** `GET /app/groups/:group/edit`. */
export function editGroup(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    asOwner(async (request, owner) => {
      const { group, page } = await current(request, owner);
      return showForm(request, page, valuesOf(group));
    }),
  );
}

/** `POST /app/groups/:group`: `PATCH …/children/groups/:id` with the changed fields. */
export function updateGroup(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(
    dash,
    asOwner<FormRequest>(async (request, owner) => {
      const { path, group, page } = await current(request, owner);
      return await submitUpdate(request, page, path, valuesOf(group));
    }),
  );
}
