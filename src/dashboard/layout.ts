/**
 * The page shell every dashboard page shares: head (stylesheet, icon), the header with
 * the navigation of the signed-in user's type and the sign-out button, notices, and the
 * answer's headers (a strict Content-Security-Policy: nothing inline, no script at all,
 * styles and images from this origin only; never cached, since pages hold personal data).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { UserType } from "../auth/scopes.ts";
import { dashboardAssets } from "./assets.ts";
import { html, type HtmlPart, type SafeHtml } from "./html.ts";
import { BASE, CSRF_FIELD, type Session } from "./session.ts";

/**
 * The pages' policy: no script of any kind, styles and images only from this origin
 * (the charts are inline SVG with presentation attributes, which CSP does not govern),
 * forms only to this origin, never framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Headers of every dashboard page. */
export const PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy": DASHBOARD_CSP,
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
};

/** A message above the page's content. */
export interface Notice {
  kind: "info" | "ok" | "error";
  text: HtmlPart;
}

/** What a page consists of. */
export interface PageSpec {
  title: string;
  body: SafeHtml;
  session?: Session;
  notice?: Notice;
  status?: ContentfulStatusCode;
}

interface NavItem {
  href: string;
  label: string;
}

/** The navigation of each user type (only where the pages lead; the API decides access). */
export function navigation(session: Session): NavItem[] {
  const byType: Record<UserType, NavItem[]> = {
    admin: [
      { href: `${BASE}/institutions`, label: "Institutions" },
      { href: `${BASE}/users/children`, label: "Children" },
      { href: `${BASE}/users/educators`, label: "Educators" },
      { href: `${BASE}/users/healthprofessionals`, label: "Health professionals" },
      { href: `${BASE}/users/families`, label: "Families" },
      { href: `${BASE}/users/applications`, label: "Applications" },
    ],
    educator: [{ href: `${BASE}/groups`, label: "Groups" }],
    healthprofessional: [{ href: `${BASE}/groups`, label: "Groups" }],
    family: [{ href: `${BASE}/children`, label: "Children" }],
    child: [{ href: `${BASE}/children/${session.userId}`, label: "My activity" }],
    application: [],
  };
  return byType[session.type];
}

/** The page a user lands on after signing in. */
export function homeOf(session: Session): string {
  return navigation(session)[0]?.href ?? `${BASE}/sign-in`;
}

const TYPE_LABELS: Record<UserType, string> = {
  admin: "admin",
  application: "application",
  child: "child",
  educator: "educator",
  family: "family",
  healthprofessional: "health professional",
};

function header(c: Context, session: Session | undefined): SafeHtml {
  if (!session) return html`<header class="top"><span class="brand">OCARIoT</span></header>`;
  const path = c.req.path;
  const items = navigation(session).map(({ href, label }) =>
    html`<li><a href="${href}"${
      path === href || path.startsWith(`${href}/`)
        ? html`
          aria-current="page"
        `
        : ""
    }>${label}</a></li>`
  );
  return html`
    <header class="top">
      <a class="brand" href="${homeOf(session)}">OCARIoT</a>
      <nav aria-label="Main">
        <ul>${items}</ul>
      </nav>
      <div class="who"><span>${session.name || "Signed in"} · ${TYPE_LABELS[session.type]}</span>
    <form method="post" action="${BASE}/sign-out">${csrfInput(
      session,
    )}<button type="submit">Sign out</button></form></div>
    </header>
  `;
}

/** The hidden CSRF field of a form that changes something. */
export function csrfInput(session: Session): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrf}">`;
}

/** Renders a whole page as the answer. */
export function renderPage(c: Context, spec: PageSpec): Response {
  const assets = dashboardAssets();
  const notice = spec.notice &&
    html`<div class="notice ${spec.notice.kind}" role="${
      spec.notice.kind === "error" ? "alert" : "status"
    }">${spec.notice.text}</div>`;
  const page = html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${spec.title} | OCARIoT</title>
        <link rel="icon" href="${assets.url("icon.svg")}" type="image/svg+xml">
        <link rel="stylesheet" href="${assets.url("dashboard.css")}">
      </head>
      <body>
    ${header(c, spec.session)}
    <main>
    <h1>${spec.title}</h1>
    ${notice}
    ${spec.body}
    </main>
      </body>
    </html>
  `;
  return c.html(page.text, spec.status ?? 200, PAGE_HEADERS);
}

/** Texts of the error pages, by status. */
const ERROR_PAGES: Record<number, { title: string; text: string }> = {
  400: { title: "Not a valid address", text: "This page address is not valid." },
  403: {
    title: "Not allowed",
    text: "Your account may not see this page. If you think it should, ask an administrator.",
  },
  404: { title: "Not found", text: "There is nothing here, or it has been removed." },
  429: { title: "Too many requests", text: "Please wait a while and try again." },
};

/** An error page: a fixed text per status, with a detail (e.g. the API's message) beneath. */
export function errorPage(
  c: Context,
  session: Session | undefined,
  status: number,
  detail?: string,
): Response {
  const known = ERROR_PAGES[status] ??
    { title: "Something went wrong", text: "The service could not answer. Please try again." };
  const home = session ? homeOf(session) : `${BASE}/sign-in`;
  return renderPage(c, {
    title: known.title,
    session,
    status: (status >= 400 && status < 600 ? status : 500) as ContentfulStatusCode,
    body: html`
      <div
        class="card"><p>${known.text}</p>${detail &&
          html`<p class="muted">${detail}</p>`}<p><a href="${home}">Back to the start page</a></p></div>
    `,
  });
}
