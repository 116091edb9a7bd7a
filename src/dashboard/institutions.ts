/**
 * Admin pages for institutions: the list, and create/edit forms whose answers (and
 * validation messages) are the API's (`/v1/institutions`).
 */
import type { Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import type { FieldSpec, FormValues } from "./forms.ts";
import { html } from "./html.ts";
import { renderPage } from "./layout.ts";
import { type Dashboard, type PageRequest, signedIn, signedInForm } from "./page.ts";
import {
  doneNotice,
  type InstitutionView,
  listBody,
  PAGE_SIZE,
  pageNumber,
  totalOf,
} from "./parts.ts";
import { type FormPage, showForm, submitCreate, submitUpdate } from "./resource-form.ts";
import { BASE } from "./session.ts";

const LIST = `${BASE}/institutions`;

const FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", kind: "text" },
  { name: "type", label: "Type", kind: "text", hint: "For example School" },
  { name: "address", label: "Address", kind: "text" },
  { name: "latitude", label: "Latitude", kind: "number", hint: "Decimal degrees, e.g. 41.15" },
  { name: "longitude", label: "Longitude", kind: "number", hint: "Decimal degrees, e.g. -8.61" },
];

/** An institution's fields as form values. */
function valuesOf(institution: InstitutionView): FormValues {
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = institution[field.name as keyof InstitutionView];
    if (value !== undefined) values[field.name] = String(value);
  }
  return values;
}

/** `GET /app/institutions`. */
export function institutionList(dash: Dashboard): Handler<AppEnv> {
  return signedIn(dash, async ({ c, session, api }) => {
    const page = pageNumber(c);
    const answer = await api.get<InstitutionView[]>("/v1/institutions", {
      sort: "name",
      page,
      limit: PAGE_SIZE,
    });
    const rows = answer.body.map((i) =>
      html`
        <tr>
          <td>${i.name}</td>
          <td>${i.type}</td>
          <td>${i.address ?? "—"}</td>
          <td>${i.latitude !== undefined ? `${i.latitude}, ${i.longitude ?? ""}` : "—"}</td>
          <td><a href="${LIST}/${i.id}/edit" aria-label="Edit ${i.name}">Edit</a></td>
        </tr>
      `
    );
    return renderPage(c, {
      title: "Institutions",
      session,
      notice: doneNotice(c),
      body: listBody({
        path: LIST,
        newLabel: "New institution",
        empty: "No institutions yet: create the first one.",
        headings: ["Name", "Type", "Address", "Coordinates"],
        rows,
        page,
        total: totalOf(answer.headers, rows.length),
      }),
    });
  });
}

const form = (title: string, action: string): FormPage => ({
  title,
  action,
  fields: FIELDS,
  list: LIST,
  uniqueField: "name",
});

/** `GET /app/institutions/new`. */
export function newInstitution(dash: Dashboard): Handler<AppEnv> {
  return signedIn(
    dash,
    (request) => Promise.resolve(showForm(request, form("New institution", LIST))),
  );
}

/** `POST /app/institutions`: `POST /v1/institutions`. */
export function createInstitution(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(
    dash,
    (request) => submitCreate(request, form("New institution", LIST), "/v1/institutions"),
  );
}

async function current({ c, api }: PageRequest) {
  const path = `/v1/institutions/${encodeURIComponent(c.req.param("institution")!)}`;
  const { body } = await api.get<InstitutionView>(path);
  return { path, body, page: form(`Edit ${body.name ?? "institution"}`, `${LIST}/${body.id}`) };
}

/** `GET /app/institutions/:institution/edit`. */
export function editInstitution(dash: Dashboard): Handler<AppEnv> {
  return signedIn(dash, async (request) => {
    const { body, page } = await current(request);
    return showForm(request, page, valuesOf(body));
  });
}

/** `POST /app/institutions/:institution`: `PATCH /v1/institutions/:id` with the changed fields. */
export function updateInstitution(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(dash, async (request) => {
    const { path, body, page } = await current(request);
    return await submitUpdate(request, page, path, valuesOf(body));
  });
}
