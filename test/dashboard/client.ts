/**
 * A minimal browser for the dashboard's HTTP-level tests: keeps cookies, sends the
 * `Origin` a browser would, follows nothing by itself, and reads the CSRF value of the
 * page it got last.
 */
import { FIXTURE_PASSWORD, type TestApp } from "../harness.ts";

/** The origin requests go to (the app never listens; `app.request` takes full URLs). */
export const ORIGIN = "http://dashboard.test";

/** One answer, with its body read. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
  /** `Location` of a redirect, without the origin. */
  location?: string;
}

export class DashboardClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF value of the last page that had a form. */
  csrf = "";

  /**
   * `connInfo` is what `Deno.serve` would hand the app as `env` (the client's address);
   * none by default, as for any in-process request.
   */
  constructor(readonly t: TestApp, readonly origin = ORIGIN, readonly connInfo?: unknown) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = pair.split("=");
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (gone) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  private async read(res: Response): Promise<Page> {
    this.remember(res);
    const text = await res.text();
    const csrf = text.match(/name="_csrf" value="([^"]+)"/);
    if (csrf) this.csrf = csrf[1];
    const location = res.headers.get("Location") ?? undefined;
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: location?.replace(this.origin, ""),
    };
  }

  /** A GET, as a browser would send it. */
  async get(path: string): Promise<Page> {
    const res = await this.t.app.request(`${this.origin}${path}`, {
      headers: { Cookie: this.cookieHeader() },
    }, this.connInfo);
    return await this.read(res);
  }

  /**
   * A form POST with the page's CSRF value (unless `fields` sets `_csrf`) and an
   * `Origin` (unless `origin` is null, or another one is given).
   */
  async post(
    path: string,
    fields: Record<string, string | string[]> = {},
    options: { origin?: string | null } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    if (!("_csrf" in fields)) body.append("_csrf", this.csrf);
    for (const [key, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    }
    const headers: Record<string, string> = {
      Cookie: this.cookieHeader(),
      "Content-Type": "application/x-www-form-urlencoded",
    };
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers.Origin = origin;
    const res = await this.t.app.request(`${this.origin}${path}`, {
      method: "POST",
      headers,
      body,
    }, this.connInfo);
    return await this.read(res);
  }

  /** Signs in through the form; returns the answer of the POST. */
  async signIn(username: string, password = FIXTURE_PASSWORD): Promise<Page> {
    await this.get("/app/sign-in");
    return await this.post("/app/sign-in", { username, password });
  }
}
