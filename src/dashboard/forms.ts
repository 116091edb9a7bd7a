/**
 * Forms: rendering fields, turning a submitted form into the API's JSON body, and
 * placing the API's validation message next to the field it is about. The dashboard
 * validates nothing itself (no second copy of any rule): empty fields are left out and
 * the API says what is missing or wrong, in its own words.
 */
import type { ErrorBody } from "../core/errors.ts";
import { html, type SafeHtml } from "./html.ts";

/** One form field, named as the API's body key. */
export interface FieldSpec {
  name: string;
  label: string;
  kind: "text" | "password" | "number" | "select" | "choices";
  /** For `select` (one value) and `choices` (checkboxes, many values). */
  options?: readonly { value: string; label: string }[];
  hint?: string;
  /** Other words the API's messages use for this field (`institution` for `institution_id`). */
  aliases?: readonly string[];
  autocomplete?: string;
}

/** A submitted form: one string per field, a list for checkboxes. */
export type FormValues = Record<string, string | string[]>;

/** Where the API's message goes: next to fields, or above the form. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
}

/** No errors. */
export const NO_ERRORS: FormErrors = { fields: {} };

/** A submitted body as form values (files are ignored; repeated keys become lists). */
export function formValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((v) => typeof v === "string");
  }
  return values;
}

function text(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === "string" ? value : Array.isArray(value) ? value[0] ?? "" : "";
}

function list(values: FormValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === "string" && value !== "" ? [value] : [];
}

/** A number typed in a form as the JSON number, or the text as typed (the API judges it). */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
}

function fieldValue(field: FieldSpec, values: FormValues): unknown {
  if (field.kind === "choices") return list(values, field.name);
  const value = text(values, field.name);
  return field.kind === "number" && value !== "" ? numberOrText(value) : value;
}

/** The body of a create request: every filled field (empty ones are left for the API to name). */
export function createBody(
  fields: readonly FieldSpec[],
  values: FormValues,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = fieldValue(field, values);
    if (value === "" || (Array.isArray(value) && value.length === 0)) continue;
    body[field.name] = value;
  }
  return body;
}

/**
 * The body of an update: only the fields whose value differs from the record's current
 * one (an API refuses some unchanged values, e.g. re-sending a name is a conflict).
 */
export function changedBody(
  fields: readonly FieldSpec[],
  values: FormValues,
  current: FormValues,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === "password") continue;
    const value = fieldValue(field, values);
    if (field.kind === "choices") {
      if ((value as string[]).join(",") !== list(current, field.name).join(",")) {
        body[field.name] = value;
      }
    } else if (String(value) !== text(current, field.name)) {
      body[field.name] = value;
    }
  }
  return body;
}

const wordPattern = (word: string) =>
  new RegExp(
    `(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9_]|$)`,
    "i",
  );

/** The API's message as one text: message, then description. */
export function messageOf(body: ErrorBody): string {
  return [body.message, body.description].filter(Boolean).join(" ");
}

/**
 * Places an API error: on the fields its text names (by body key or alias, whole words);
 * when several are named and the text quotes a submitted value, on the field(s) holding
 * it; a conflict (409) on the form's unique field; otherwise above the form.
 */
export function placeError(
  body: ErrorBody,
  fields: readonly FieldSpec[],
  values: FormValues,
  uniqueField?: string,
): FormErrors {
  const message = messageOf(body);
  let named: string[];
  if (body.code === 409 && uniqueField) {
    named = [uniqueField];
  } else {
    const candidates = fields.filter((f) =>
      [f.name, ...(f.aliases ?? [])].some((word) => wordPattern(word).test(message))
    );
    const quoted = candidates.filter((f) => {
      const value = text(values, f.name);
      return value.length > 0 && message.includes(value);
    });
    named = (candidates.length > 1 && quoted.length > 0 ? quoted : candidates).map((f) => f.name);
  }
  if (named.length === 0) return { fields: {}, form: message };
  return { fields: Object.fromEntries(named.map((name) => [name, message])) };
}

/** One field with its label, hint and error (tied by `aria-describedby`). */
export function renderField(field: FieldSpec, values: FormValues, error?: string): SafeHtml {
  const id = `f-${field.name}`;
  const described = [field.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  const aria = html`${
    described && html`
      aria-describedby="${described}"
    `
  }${
    error && html`
      aria-invalid="true"
    `
  }`;
  const hint = field.hint && html`<p class="hint" id="${id}-hint">${field.hint}</p>`;
  const message = error && html`<p class="error" id="${id}-error">${error}</p>`;
  if (field.kind === "choices") {
    const chosen = new Set(list(values, field.name));
    const boxes = (field.options ?? []).map((option) =>
      html`<label><input type="checkbox" name="${field.name}" value="${option.value}"${
        chosen.has(option.value) && html`
          checked
        `
      }> ${option.label}</label>`
    );
    return html`
      <div
        class="field"><fieldset id="${id}"${aria}><legend>${field
          .label}</legend><div class="choices">${boxes.length
          ? boxes
          : html`<p class="muted">Nothing to choose from.</p>`}</div></fieldset>${hint}${message}</div>
    `;
  }
  const value = text(values, field.name);
  if (field.kind === "select") {
    const options = (field.options ?? []).map((option) =>
      html`
        <option value="${option.value}" ${option.value === value && html`
          selected
        `}>${option.label}</option>
      `
    );
    return html`
      <div
        class="field"><label for="${id}">${field.label}</label><select id="${id}" name="${field
          .name}"${aria}>${options}</select>${hint}${message}</div>
    `;
  }
  const type = field.kind === "password" ? "password" : "text";
  return html`
    <div
      class="field"><label for="${id}">${field
        .label}</label><input type="${type}" id="${id}" name="${field
        .name}" value="${field.kind === "password" ? "" : value}"${field.kind === "number" && html`
        inputmode="decimal"
      `}${field.autocomplete && html`
        autocomplete="${field.autocomplete}"
      `}${aria}>${hint}${message}</div>
  `;
}

/** A whole form: hidden CSRF field, the fields, submit and cancel. */
export function renderForm(spec: {
  action: string;
  csrf: SafeHtml;
  fields: readonly FieldSpec[];
  values: FormValues;
  errors: FormErrors;
  submit: string;
  cancel?: string;
}): SafeHtml {
  const formError = spec.errors.form &&
    html`<div class="notice error" role="alert">${spec.errors.form}</div>`;
  const fieldNotice = !spec.errors.form && Object.keys(spec.errors.fields).length > 0 &&
    html`<div class="notice error" role="alert">Please check the field marked below.</div>`;
  return html`
    ${formError}${fieldNotice}<form class="form" method="post" action="${spec.action}"
      novalidate>${spec.csrf}${spec.fields.map((field) =>
        renderField(field, spec.values, spec.errors.fields[field.name])
      )}<div class="actions"><button type="submit">${spec.submit}</button>${spec.cancel &&
        html`<a class="button secondary" href="${spec.cancel}">Cancel</a>`}</div></form>
  `;
}
