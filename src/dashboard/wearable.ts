/**
 * The wearable panel of a child's page and its three actions, each one call to the
 * wearable routes: connect (`POST /v1/users/:id/fitbit/authorize`, the platform-managed
 * flow of the active provider: the user follows a link to the provider's consent page,
 * which returns to the service's callback), sync now (`…/fitbit/sync`) and disconnect
 * (`…/fitbit/auth/revoke`).
 */
import type { Context, Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import { SYNC_OUTCOMES, type WearableStatus } from "../wearables/wearables.schemas.ts";
import { errorOf } from "./api.ts";
import { messageOf } from "./forms.ts";
import type { ChildData } from "./child-data.ts";
import { html, type SafeHtml, safeUrl } from "./html.ts";
import { csrfInput, errorPage, type Notice, renderPage } from "./layout.ts";
import { type Dashboard, type FormRequest, signedInForm } from "./page.ts";
import { dateTime } from "./scale.ts";
import { BASE, type Session } from "./session.ts";

const PROVIDERS: Record<string, string> = { fitbit: "Fitbit", google_health: "Google Health" };
const providerName = (id: string | null | undefined) =>
  id === undefined || id === null ? undefined : Object.hasOwn(PROVIDERS, id) ? PROVIDERS[id] : id;

/** What the child's `fitbit_status` means for the people looking at it. */
const STATUS_TEXT: Record<string, string> = {
  none: "Not connected",
  valid_token: "Connected",
  expired_token: "Connected (access renews at the next sync)",
  invalid_token: "Connection broken: connect again",
  invalid_grant: "Access withdrawn at the provider: connect again",
  invalid_client: "The platform's provider settings are wrong: tell an administrator",
  rate_limit: "The provider's limit was reached: sync later",
};

/** Notices after an action, chosen by `?wearable=` (fixed texts only). */
const NOTICES: Record<string, Notice> = {
  synced: { kind: "ok", text: "Synchronised with the wearable." },
  "no-data": {
    kind: "info",
    text: "No data from this device: the sync worked, but the provider has no data at all " +
      "for this account.",
  },
  revoked: { kind: "ok", text: "The wearable is disconnected; the platform no longer reads it." },
};

/** The connection status in words. */
export function statusText(status: string | undefined): string {
  const key = status ?? "none";
  return Object.hasOwn(STATUS_TEXT, key) ? STATUS_TEXT[key] : key;
}

/** The notice a wearable action asked for, if any. */
export function wearableNotice(c: Context): Notice | undefined {
  const key = c.req.query("wearable");
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key] : undefined;
}

function action(session: Session, childId: string, name: string, label: string, style = "") {
  return html`
    <form method="post"
      action="${BASE}/children/${childId}/wearable/${name}">${csrfInput(
        session,
      )}<button type="submit"${style && html`
        class="${style}"
      `}>${label}</button></form>
  `;
}

/** How a failed sync is described (the API reference's texts for its outcomes). */
function failedAttempt(connection: WearableStatus): SafeHtml | undefined {
  const { last_sync_outcome: outcome, last_sync_outcome_at: at } = connection;
  if (!outcome || outcome === "ok" || outcome === "no_data" || !at) return undefined;
  return html`
    <dt>Last attempt</dt>
    <dd data-outcome="${outcome}">Failed: ${SYNC_OUTCOMES[outcome]} (${dateTime(
      Date.parse(at),
    )})</dd>
  `;
}

/** Said whenever the last successful sync found no data at all for the connection. */
const NO_DATA = html`
  <div class="notice info below-facts"
    id="wearable-no-data"><strong>No data from this device.</strong>
  <span class="note">The provider has no data at all for this account. Some devices are not supported: Google Health does not serve Fitbit Ace devices, for one. Check which device the child wears and that it syncs with its app.</span></div>
`;

/**
 * The panel: provider, status, last sync, a failed last attempt, "no data from this
 * device", and the actions the user may take.
 */
export function wearablePanel(session: Session, data: ChildData): SafeHtml {
  const { profile, wearable } = data;
  const connection = wearable.connection;
  const connected = Boolean(connection?.provider);
  // Who may manage the wearable reads its status; others see the profile's.
  const status = connection?.status ?? profile.fitbit_status ?? "none";
  const lastSync = connection ? connection.last_sync : profile.last_sync;
  const active = providerName(wearable.activeProvider);
  let actions: SafeHtml;
  if (!wearable.manageable) {
    actions =
      html`<p class="muted">Your account may see this status but not manage the wearable.</p>`;
  } else if (connected) {
    actions = html`<div class="actions">${action(session, profile.id, "sync", "Sync now")}${
      action(session, profile.id, "revoke", "Disconnect", "danger")
    }</div>`;
  } else if (wearable.connectable) {
    actions = html`<div class="actions">${
      action(session, profile.id, "connect", `Connect ${active ?? "a wearable"}`)
    }</div>`;
  } else {
    actions = html`<p class="muted">No wearable provider is configured on this platform yet.</p>`;
  }
  const provider = connected ? providerName(connection?.provider ?? undefined) : active;
  return html`
    <section class="card" id="wearable"
      aria-labelledby="wearable-title"><h2 id="wearable-title">Wearable</h2><dl class="facts">
    ${provider && html`
      <dt>Provider</dt>
      <dd data-provider="${connection?.provider ?? ""}">${provider}</dd>
    `}
    <dt>Status</dt><dd data-status="${status}">${statusText(status)}</dd>
    <dt>Last sync</dt><dd data-last-sync="${lastSync ?? ""}">${lastSync
      ? dateTime(Date.parse(lastSync))
      : "Never"}</dd>
    ${connection && failedAttempt(connection)}
    </dl>${connection?.no_data && NO_DATA}${actions}</section>
  `;
}

const childPath = (request: FormRequest) => `${BASE}/children/${request.c.req.param("child")}`;
const userPath = (request: FormRequest) =>
  `/v1/users/${encodeURIComponent(request.c.req.param("child")!)}/fitbit`;

/** An action the API refused: the error page with its message and a way back. */
function refused(
  request: FormRequest,
  answer: { status: number; body: unknown; headers: Headers },
) {
  const error = errorOf(answer);
  return errorPage(
    request.c,
    request.session,
    answer.status,
    messageOf(error),
  );
}

/**
 * `POST /app/children/:child/wearable/connect`: starts the platform-managed flow and
 * shows the provider's consent link (a link the user follows, so the page's
 * `form-action 'self'` policy never has to allow another origin).
 */
export function connectWearable(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(dash, async (request) => {
    const answer = await request.api.call<{ authorization_url?: string; expires_at?: string }>(
      "POST",
      `${userPath(request)}/authorize`,
    );
    const url = answer.status === 200 ? safeUrl(answer.body?.authorization_url) : undefined;
    if (!url) return refused(request, answer);
    const until = answer.body.expires_at && dateTime(Date.parse(answer.body.expires_at));
    return renderPage(request.c, {
      title: "Connect a wearable",
      session: request.session,
      body: html`
        <div
          class="card"><p>The provider will ask to allow the platform to read the child's activity, sleep and weight. When it is done, it returns here.</p>
        <div class="actions"><a class="button" id="consent" href="${url}">Continue to the provider</a><a class="button secondary" href="${childPath(
          request,
        )}">Cancel</a></div>${until &&
          html`<p class="muted">This link works once, until ${until}.</p>`}</div>
      `,
    });
  });
}

/** `POST /app/children/:child/wearable/sync`: syncs now; "no data" is said plainly. */
export function syncWearable(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(dash, async (request) => {
    const answer = await request.api.call<{ no_data?: boolean }>(
      "POST",
      `${userPath(request)}/sync`,
    );
    if (answer.status !== 200) return refused(request, answer);
    const outcome = answer.body?.no_data ? "no-data" : "synced";
    return request.c.redirect(`${childPath(request)}?wearable=${outcome}#wearable`, 303);
  });
}

/** `POST /app/children/:child/wearable/revoke`: disconnects the wearable. */
export function revokeWearable(dash: Dashboard): Handler<AppEnv> {
  return signedInForm(dash, async (request) => {
    const answer = await request.api.call("POST", `${userPath(request)}/auth/revoke`);
    if (answer.status !== 204) return refused(request, answer);
    return request.c.redirect(`${childPath(request)}?wearable=revoked#wearable`, 303);
  });
}
