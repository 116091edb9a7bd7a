/**
 * The create and edit pattern every form page follows: show the form; on submit, send
 * the body to the API; on success go back to the list with a confirmation; otherwise
 * show the form again, as submitted, with the API's message next to the field it names
 * and the API's status as the page's status.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorOf } from "./api.ts";
import {
  changedBody,
  createBody,
  type FieldSpec,
  type FormErrors,
  type FormValues,
  NO_ERRORS,
  placeError,
  renderForm,
} from "./forms.ts";
import { html } from "./html.ts";
import { csrfInput, renderPage } from "./layout.ts";
import type { FormRequest, PageRequest } from "./page.ts";

/** One form page: where it posts, its fields, and where Cancel and success lead. */
export interface FormPage {
  title: string;
  /** The dashboard path the form posts to. */
  action: string;
  fields: readonly FieldSpec[];
  /** The list to return to (Cancel, and after success with `?done=`). */
  list: string;
  /** The field a 409 (already registered) is about. */
  uniqueField?: string;
}

/** Renders the form page with values and errors. */
export function showForm(
  { c, session }: PageRequest,
  page: FormPage,
  values: FormValues = {},
  errors: FormErrors = NO_ERRORS,
  status = 200,
): Response {
  return renderPage(c, {
    title: page.title,
    session,
    status: (status >= 400 && status < 600 ? status : 200) as ContentfulStatusCode,
    body: html`<div class="card">${
      renderForm({
        action: page.action,
        csrf: csrfInput(session),
        fields: page.fields,
        values,
        errors,
        submit: "Save",
        cancel: page.list,
      })
    }</div>`,
  });
}

/** Sends a create (`POST apiPath`); 201 returns to the list, anything else re-shows the form. */
export async function submitCreate(
  request: FormRequest,
  page: FormPage,
  apiPath: string,
  body: Record<string, unknown> = createBody(page.fields, request.form),
): Promise<Response> {
  const answer = await request.api.call("POST", apiPath, { body });
  if (answer.status === 201) return request.c.redirect(`${page.list}?done=created`, 303);
  const errors = placeError(errorOf(answer), page.fields, request.form, page.uniqueField);
  return showForm(request, page, request.form, errors, answer.status);
}

/**
 * Sends an update (`PATCH apiPath`) of only the changed fields (compared with `current`);
 * 200, or nothing to change, returns to the list.
 */
export async function submitUpdate(
  request: FormRequest,
  page: FormPage,
  apiPath: string,
  current: FormValues,
  adjust: (changes: Record<string, unknown>) => Record<string, unknown> = (changes) => changes,
): Promise<Response> {
  const changes = adjust(changedBody(page.fields, request.form, current));
  if (Object.keys(changes).length === 0) {
    return request.c.redirect(`${page.list}?done=unchanged`, 303);
  }
  const answer = await request.api.call("PATCH", apiPath, { body: changes });
  if (answer.status === 200) return request.c.redirect(`${page.list}?done=saved`, 303);
  const errors = placeError(errorOf(answer), page.fields, request.form, page.uniqueField);
  return showForm(request, page, request.form, errors, answer.status);
}
