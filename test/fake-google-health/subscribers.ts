/**
 * Subscriber management (google-health.md §5.2): `/v4/projects/{number}/subscribers`, for a token
 * with the `cloud-platform` scope. Create and PATCH verify the endpoint first (§5.3).
 */
import type { Hono } from "hono";
import { CLOUD_PLATFORM_SCOPE } from "./datatypes.ts";
import { API_ERRORS, apiErrorResponse, type ApiErrorSpec } from "./errors.ts";
import { authenticate } from "./health.ts";
import type { FakeState } from "./state.ts";
import type { Subscriber, WebhookEmitter } from "./webhooks.ts";

const SUBSCRIBER_ID = /^[a-z]([a-z0-9-]{2,34}[a-z0-9])$/;

function publicView(sub: Subscriber) {
  const { secret: _, ...rest } = sub;
  return rest;
}

function operation(response: unknown) {
  return { name: `operations/${crypto.randomUUID()}`, done: true, response };
}

const bad = (message: string, status = "INVALID_ARGUMENT", http = 400): ApiErrorSpec => ({
  http,
  status,
  message,
});

const UPDATABLE = new Set(["endpointUri", "subscriberConfigs", "endpointAuthorization"]);

function verificationFailed(v: { withSecret: number; withoutSecret: number }): Response {
  return apiErrorResponse(
    bad(
      `Endpoint verification failed: answered ${v.withSecret} with the secret and ${v.withoutSecret} without it.`,
      "FAILED_PRECONDITION",
    ),
    "subscribers",
  );
}

/** Subscriber management (§5.2): create and patch (both verify the endpoint), list, get, delete. */
export function subscriberRoutes(app: Hono, state: FakeState, emitter: WebhookEmitter): void {
  app.all("/v4/projects/*", async (c) => {
    const auth = authenticate(state, c, "subscribers");
    if (auth instanceof Response) return auth;
    if (!auth.access.scopes.includes(CLOUD_PLATFORM_SCOPE)) {
      return apiErrorResponse(API_ERRORS.ACCESS_TOKEN_SCOPE_INSUFFICIENT, "subscribers");
    }
    const m = /^\/v4\/projects\/([^/]+)\/subscribers(?:\/([^/]+))?$/.exec(c.req.path);
    if (!m) return apiErrorResponse(API_ERRORS.NOT_FOUND, "subscribers");
    const [, project, id] = m;
    if (!/^\d+$/.test(project)) {
      return apiErrorResponse(bad("Invalid project number in resource name"), "subscribers");
    }
    const prefix = `projects/${project}/subscribers/`;
    const method = c.req.method;
    if (!id && method === "GET") {
      const subscribers = [...emitter.subscribers.values()].filter((s) =>
        s.name.startsWith(prefix)
      );
      return c.json({ subscribers: subscribers.map(publicView), totalSize: subscribers.length });
    }
    if (!id && method === "POST") {
      const subscriberId = c.req.query("subscriberId") ?? "";
      if (!SUBSCRIBER_ID.test(subscriberId)) {
        return apiErrorResponse(bad(`Invalid subscriberId: ${subscriberId}`), "subscribers");
      }
      const name = prefix + subscriberId;
      if (emitter.subscribers.has(name)) {
        return apiErrorResponse(
          bad(`${name} already exists`, "ALREADY_EXISTS", 409),
          "subscribers",
        );
      }
      const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
      const endpointUri = body?.endpointUri;
      const secret = (body?.endpointAuthorization as { secret?: unknown } | undefined)?.secret;
      if (typeof endpointUri !== "string" || typeof secret !== "string" || !secret) {
        return apiErrorResponse(
          bad("endpointUri and endpointAuthorization.secret are required."),
          "subscribers",
        );
      }
      const url = URL.parse(endpointUri);
      const loopback = url?.hostname === "127.0.0.1" || url?.hostname === "localhost";
      if (!url || (url.protocol !== "https:" && !loopback)) {
        return apiErrorResponse(bad("endpointUri must be an https URL."), "subscribers");
      }
      const verified = await emitter.verify({ endpointUri, secret });
      if (!verified.ok) return verificationFailed(verified);
      const now = new Date(state.now()).toISOString();
      const sub: Subscriber = {
        name,
        endpointUri,
        subscriberConfigs: (body?.subscriberConfigs as unknown[]) ?? [],
        secret,
        state: "ACTIVE",
        createTime: now,
        updateTime: now,
      };
      emitter.subscribers.set(name, sub);
      return c.json(operation(publicView(sub)));
    }
    const sub = id ? emitter.subscribers.get(prefix + id) : undefined;
    if (!sub) return apiErrorResponse(API_ERRORS.NOT_FOUND, "subscribers");
    if (method === "GET") return c.json(publicView(sub));
    if (method === "DELETE") {
      emitter.subscribers.delete(sub.name);
      return c.json(operation({}));
    }
    if (method === "PATCH") {
      const mask = (c.req.query("updateMask") ?? "").split(",").filter(Boolean);
      const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
      const unknown = mask.filter((m) => !UPDATABLE.has(m));
      if (!body || mask.length === 0 || unknown.length > 0) {
        return apiErrorResponse(bad(`Invalid updateMask: ${mask.join(",")}`), "subscribers");
      }
      const next = { ...sub };
      if (mask.includes("endpointUri")) next.endpointUri = String(body.endpointUri ?? "");
      if (mask.includes("subscriberConfigs")) {
        next.subscriberConfigs = (body.subscriberConfigs as unknown[]) ?? [];
      }
      if (mask.includes("endpointAuthorization")) {
        next.secret = String((body.endpointAuthorization as { secret?: unknown })?.secret ?? "");
      }
      if (next.endpointUri !== sub.endpointUri || next.secret !== sub.secret) {
        const verified = await emitter.verify(next);
        if (!verified.ok) return verificationFailed(verified);
      }
      next.updateTime = new Date(state.now()).toISOString();
      emitter.subscribers.set(sub.name, next);
      return c.json(operation(publicView(next)));
    }
    return apiErrorResponse(API_ERRORS.NOT_FOUND, "subscribers");
  });
}
