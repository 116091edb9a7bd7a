/**
 * A family's page: its children (`GET /v1/families/:id/children`), each a link to the
 * child's page. Other users have their own start page and are sent there.
 */
import type { Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import { html } from "./html.ts";
import { homeOf, renderPage } from "./layout.ts";
import { type Dashboard, signedIn } from "./page.ts";
import { childLink, CHOICE_LIMIT } from "./parts.ts";
import { dateTime } from "./scale.ts";
import type { UserView } from "./users.ts";

/** `GET /app/children`. */
export function familyChildren(dash: Dashboard): Handler<AppEnv> {
  return signedIn(dash, async ({ c, session, api }) => {
    if (session.type !== "family") return c.redirect(homeOf(session), 303);
    const { body: children } = await api.get<UserView[]>(
      `/v1/families/${session.userId}/children`,
      { limit: CHOICE_LIMIT },
    );
    const cards = children.map((child) =>
      html`
        <li class="card">
          <h2>${childLink(child)}</h2>
          <p class="muted">${child.last_sync
            ? `Wearable last synchronised ${dateTime(Date.parse(child.last_sync))}`
            : "No wearable data synchronised yet"}</p>
        </li>
      `
    );
    return renderPage(c, {
      title: "Children",
      session,
      body: cards.length ? html`<ul class="plain">${cards}</ul>` : html`
        <div class="card">
          <p
            class="empty">No children are linked to this family yet: ask the school's administrator to link them.</p>
        </div>
      `,
    });
  });
}
