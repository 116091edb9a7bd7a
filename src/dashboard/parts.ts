/** Small pieces several pages share: lists, paging, notices, institution choices, child links. */
import type { Context } from "hono";
import type { Api } from "./api.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Notice } from "./layout.ts";
import { BASE } from "./session.ts";

/** Rows per page of the lists. */
export const PAGE_SIZE = 50;
/** The most records a choice list (select, checkboxes) offers. */
export const CHOICE_LIMIT = 1000;

/** The `?page=` of a list (1 when absent or not a positive integer). */
export function pageNumber(c: Context): number {
  const page = Number(c.req.query("page"));
  return Number.isInteger(page) && page > 0 && page < 1e6 ? page : 1;
}

/** Links to the previous and next page of a list, given the total the API reported. */
function pager(path: string, page: number, total: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages <= 1) return html``;
  return html`
    <nav class="pager"
      aria-label="Pages">${page > 1 &&
        html`<a href="${path}?page=${
          page - 1
        }" rel="prev">Previous</a>`}<span>Page ${page} of ${pages}</span>${page < pages &&
        html`<a href="${path}?page=${page + 1}" rel="next">Next</a>`}</nav>
  `;
}

/** What a list page shows: its rows (each ending with its actions cell) under headings. */
export interface ListSpec {
  /** The list's dashboard path (`/new` after it creates a record). */
  path: string;
  /** The label of the create button (`New institution`). */
  newLabel: string;
  /** Said instead of the table when there are no rows. */
  empty: string;
  /** Column headings, before the actions column. */
  headings: readonly string[];
  rows: readonly SafeHtml[];
  page: number;
  /** The total the API reported (for the pager). */
  total: number;
}

/** A list page's body: the create button, then the table (or the empty text) and the pager. */
export function listBody(spec: ListSpec): SafeHtml {
  return html`<div class="actions"><a class="button" href="${spec.path}/new">${spec.newLabel}</a></div>
<div class="card table-scroll">${
    spec.rows.length === 0 ? html`<p class="empty">${spec.empty}</p>` : html`
      <table>
        <thead>
          <tr>${spec.headings.map((heading) =>
            html`<th>${heading}</th>`
          )}<th><span class="muted">Actions</span></th></tr>
        </thead>
        <tbody>${spec.rows}</tbody>
      </table>
    `
  }${pager(spec.path, spec.page, spec.total)}</div>`;
}

/** The total an API list reported in `X-Total-Count`. */
export function totalOf(headers: Headers, fallback: number): number {
  const total = Number(headers.get("X-Total-Count"));
  return Number.isFinite(total) && total >= 0 ? total : fallback;
}

/** Fixed confirmations, chosen by the `?done=` of a redirect (never text from the URL). */
const DONE: Record<string, string> = {
  created: "Created.",
  saved: "Saved.",
  unchanged: "Nothing was changed.",
};

/** The confirmation a redirect asked for, if it is one of ours. */
export function doneNotice(c: Context, extra: Record<string, Notice> = {}): Notice | undefined {
  const done = c.req.query("done");
  if (!done) return undefined;
  if (Object.hasOwn(extra, done)) return extra[done];
  return Object.hasOwn(DONE, done) ? { kind: "ok", text: DONE[done] } : undefined;
}

/** An institution as the API lists it. */
export interface InstitutionView {
  id: string;
  type?: string;
  name?: string;
  address?: string;
  latitude?: string;
  longitude?: string;
}

/** The institutions the user may list, by id, for names and choices. */
export async function institutionsById(api: Api): Promise<Map<string, InstitutionView>> {
  const answer = await api.get<InstitutionView[]>("/v1/institutions", {
    sort: "name",
    limit: CHOICE_LIMIT,
  });
  return new Map(answer.body.map((institution) => [institution.id, institution]));
}

/** Choices for an institution field (a first empty choice when it may be left out). */
export function institutionOptions(
  institutions: Map<string, InstitutionView>,
  emptyLabel = "Choose an institution",
) {
  return [
    { value: "", label: emptyLabel },
    ...[...institutions.values()].map((i) => ({ value: i.id, label: i.name ?? i.id })),
  ];
}

/** A link to a child's page, named by its username. */
export function childLink(child: { id: string; username: string }): SafeHtml {
  return html`<a href="${BASE}/children/${child.id}">${child.username}</a>`;
}

/** Children as a list of links to their pages; `empty` when there are none. */
export function childLinks(
  children: { id: string; username: string }[],
  empty: SafeHtml,
): SafeHtml {
  return children.length
    ? html`<ul class="children">${children.map((child) => html`<li>${childLink(child)}</li>`)}</ul>`
    : empty;
}
