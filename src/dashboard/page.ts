/**
 * What every dashboard handler stands on: the signed-in session (or a redirect to the
 * sign-in page), an API client bound to it, the CSRF and origin checks of forms, and
 * the translation of API refusals into pages (401 ends the session, 403/404/… become
 * the matching error page).
 */
import type { Context, Handler } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import { Api, ApiRefusal, type Fetcher, SessionEnded } from "./api.ts";
import { type FormValues, formValues, messageOf } from "./forms.ts";
import { errorPage } from "./layout.ts";
import {
  BASE,
  CSRF_FIELD,
  endSession,
  readSession,
  sameOrigin,
  sameSecret,
  type Session,
} from "./session.ts";

/** What the dashboard is built with: the app's services and the app itself (for its API). */
export interface Dashboard {
  deps: Deps;
  /** The whole app, whose API the pages call in process. */
  app: () => Fetcher;
}

/** A signed-in request. */
export interface PageRequest {
  c: Context<AppEnv>;
  session: Session;
  api: Api;
  dash: Dashboard;
}

/** A signed-in form submission whose CSRF value and origin were checked. */
export interface FormRequest extends PageRequest {
  form: FormValues;
}

/** Where a request without a session goes; `ended` says the previous one was refused. */
export function signInRedirect(c: Context, ended = false): Response {
  return c.redirect(`${BASE}/sign-in${ended ? "?ended=1" : ""}`, 303);
}

/** Runs a page, turning the API's refusals into the right answer. */
async function guarded(
  request: PageRequest,
  run: () => Promise<Response>,
): Promise<Response> {
  const { c, session, dash } = request;
  try {
    return await run();
  } catch (error) {
    if (error instanceof SessionEnded) {
      endSession(c);
      return signInRedirect(c, true);
    }
    if (error instanceof ApiRefusal) {
      // The 403's own text says it all; other refusals say which record or value.
      const detail = error.status === 403 ? undefined : messageOf(error.body);
      return errorPage(c, session, error.status, detail);
    }
    dash.deps.log.error("dashboard page failed", {
      request_id: c.var.requestId,
      path: c.req.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return errorPage(c, session, 500);
  }
}

/** A page for signed-in users. */
export function signedIn(
  dash: Dashboard,
  handler: (request: PageRequest) => Promise<Response>,
): Handler<AppEnv> {
  return async (c) => {
    const session = await readSession(c);
    if (!session) return signInRedirect(c);
    const request = { c, session, api: new Api(dash.app(), c, session.token), dash };
    return await guarded(request, () => handler(request));
  };
}

/**
 * A form that changes something, for signed-in users: refused with a 403 page unless it
 * came from one of our pages (`Origin`) and carries the session's CSRF value.
 */
export function signedInForm(
  dash: Dashboard,
  handler: (request: FormRequest) => Promise<Response>,
): Handler<AppEnv> {
  return signedIn(dash, async (request) => {
    const form = formValues(await request.c.req.parseBody({ all: true }));
    const sent = form[CSRF_FIELD];
    if (
      !sameOrigin(request.c) ||
      !sameSecret(typeof sent === "string" ? sent : undefined, request.session.csrf)
    ) {
      return errorPage(
        request.c,
        request.session,
        403,
        "This form did not come from this site, or it belongs to an earlier session. Please open the page again.",
      );
    }
    return await handler({ ...request, form });
  });
}
