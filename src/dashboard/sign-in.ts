/**
 * Signing in and out. Sign-in posts the username and password to the API's own login
 * (`POST /v1/auth`, in process, with the browser's connection info), so its throttling,
 * messages and `last_login` apply; the token it issues becomes the session cookie.
 * Applications are machine clients: the dashboard does not open a session for them.
 */
import type { Context, Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import { Api, errorOf } from "./api.ts";
import {
  type FieldSpec,
  type FormErrors,
  formValues,
  messageOf,
  NO_ERRORS,
  placeError,
  renderForm,
} from "./forms.ts";
import { html } from "./html.ts";
import { homeOf, type Notice, renderPage } from "./layout.ts";
import { type Dashboard, signedInForm, signInRedirect } from "./page.ts";
import {
  BASE,
  CSRF_FIELD,
  endSession,
  expectedSignInNonce,
  readSession,
  sameOrigin,
  sameSecret,
  sessionFromToken,
  signInNonce,
  startSession,
} from "./session.ts";

const FIELDS: FieldSpec[] = [
  { name: "username", label: "Username", kind: "text", autocomplete: "username" },
  { name: "password", label: "Password", kind: "password", autocomplete: "current-password" },
];

const NOTICES: Record<string, Notice> = {
  ended: { kind: "info", text: "Your session has ended. Please sign in again." },
  out: { kind: "ok", text: "You have signed out." },
};

function signInPage(
  c: Context<AppEnv>,
  dash: Dashboard,
  username: string,
  errors: FormErrors,
  status: 200 | 400 | 401 | 403 | 429 = 200,
  notice?: Notice,
): Response {
  const nonce = signInNonce(c, dash.deps.config);
  const form = renderForm({
    action: `${BASE}/sign-in`,
    csrf: html`<input type="hidden" name="${CSRF_FIELD}" value="${nonce}">`,
    fields: FIELDS,
    values: { username },
    errors,
    submit: "Sign in",
  });
  return renderPage(c, {
    title: "Sign in",
    status,
    notice,
    body: html`
      <div
        class="card sign-in"><p class="muted">Children's activity, sleep and growth, for the people who look after them.</p>${form}</div>
    `,
  });
}

/** `GET /app/sign-in`: the form (or the start page, when already signed in). */
export function signInForm(dash: Dashboard): Handler<AppEnv> {
  return async (c) => {
    const ended = c.req.query("ended") !== undefined;
    const session = await readSession(c);
    if (session && !ended) return c.redirect(homeOf(session), 303);
    const notice = ended
      ? NOTICES.ended
      : c.req.query("out") !== undefined
      ? NOTICES.out
      : undefined;
    return signInPage(c, dash, "", NO_ERRORS, 200, notice);
  };
}

/** `POST /app/sign-in`: the API's login; its answer becomes the session or the form's message. */
export function signIn(dash: Dashboard): Handler<AppEnv> {
  return async (c) => {
    const form = formValues(await c.req.parseBody({ all: true }));
    const username = typeof form.username === "string" ? form.username : "";
    const password = typeof form.password === "string" ? form.password : "";
    const nonce = typeof form[CSRF_FIELD] === "string" ? form[CSRF_FIELD] as string : undefined;
    if (!sameOrigin(c) || !sameSecret(nonce, expectedSignInNonce(c))) {
      const errors = { fields: {}, form: "The sign-in form expired. Please try again." };
      return signInPage(c, dash, username, errors, 403);
    }
    // Empty fields are sent as absent, so the API names every missing one.
    const body = Object.fromEntries(
      Object.entries({ username, password }).filter(([, value]) => value !== ""),
    );
    const answer = await new Api(dash.app(), c).call<{ access_token?: string }>(
      "POST",
      "/v1/auth",
      { body },
    );
    const token = answer.status === 200 ? answer.body?.access_token : undefined;
    if (!token) {
      const error = errorOf(answer);
      const errors = answer.status === 400 ? placeError(error, FIELDS, form) : {
        fields: {},
        form: messageOf(error),
      };
      const status = ([400, 401, 429] as const).find((s) => s === answer.status) ?? 400;
      return signInPage(c, dash, username, errors, status);
    }
    const session = await sessionFromToken(token, username);
    if (!session) {
      return signInPage(c, dash, username, { fields: {}, form: "Signing in failed." }, 400);
    }
    if (session.type === "application") {
      const errors = {
        fields: {},
        form: "Applications use the API directly; this dashboard is for people.",
      };
      return signInPage(c, dash, username, errors, 403);
    }
    startSession(c, dash.deps.config, session, dash.deps.now());
    return c.redirect(homeOf(session), 303);
  };
}

/** `POST /app/sign-out`: forgets the session (the form carries the CSRF value). */
export function signOut(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(dash, ({ c }) => {
    endSession(c);
    return Promise.resolve(c.redirect(`${BASE}/sign-in?out=1`, 303));
  });
}

/** `GET /app`: the start page of the signed-in user, or the sign-in page. */
export function home(): Handler<AppEnv> {
  return async (c) => {
    const session = await readSession(c);
    return session ? c.redirect(homeOf(session), 303) : signInRedirect(c);
  };
}
