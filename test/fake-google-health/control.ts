/**
 * The test control surface under `/__fake` (google-health.md §6.7): seeding, consent, clock,
 * faults, configuration, the call log, webhook deliveries and the public keyset. Never logged,
 * delayed or faulted, and never called by the adapter. Bodies are checked with zod; a bad body
 * answers 400 `{error}`.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { FakeGoogleHealth } from "./server.ts";

const json = z.record(z.string(), z.unknown());

const seedSchema = z.strictObject({
  dataPoints: z.array(json).optional(),
  totalCaloriesByDay: z.record(z.string(), z.number()).optional(),
  wornDays: z.array(z.string()).optional(),
  generated: z.boolean().optional(),
});

const schemas = {
  client: z.strictObject({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    redirectUris: z.array(z.string()).optional(),
    mode: z.enum(["production", "testing"]).optional(),
    testUsers: z.array(z.string()).optional(),
  }),
  user: z.strictObject({
    healthUserId: z.string().regex(/^[A-Za-z0-9-]{1,63}$/).optional(),
    sub: z.string().optional(),
    email: z.string().optional(),
    legacyUserId: z.string().nullable().optional(),
    hasHealthProfile: z.boolean().optional(),
    legacyFitbitLogin: z.boolean().optional(),
    timeZone: z.string().optional(),
    profile: json.optional(),
    data: seedSchema.optional(),
  }),
  grant: z.strictObject({
    healthUserId: z.string(),
    clientId: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    offline: z.boolean().optional(),
  }),
  consent: z.union([
    z.strictObject({
      approve: z.literal(true),
      healthUserId: z.string(),
      scopes: z.array(z.string()).optional(),
    }),
    z.strictObject({ refuse: z.literal(true) }),
    z.strictObject({ page: z.literal(true) }),
  ]),
  clock: z.union([
    z.strictObject({ now: z.union([z.number(), z.string()]) }),
    z.strictObject({ advanceMs: z.number() }),
  ]),
  fault: z.strictObject({
    match: z.strictObject({
      endpoint: z.union([z.string(), z.array(z.string())]).optional(),
      dataType: z.string().optional(),
      healthUserId: z.string().optional(),
      method: z.string().optional(),
      pathRegex: z.string().optional(),
      grantType: z.string().optional(),
    }),
    times: z.union([z.number().int().positive(), z.literal("always")]).optional(),
    action: json,
  }),
  config: z.strictObject({
    latencyMs: z.number().min(0).optional(),
    perUserPerMinute: z.number().int().min(0).optional(),
    perProjectPerMinute: z.number().int().min(0).optional(),
    retryAfter: z.boolean().optional(),
    countOAuth: z.boolean().optional(),
    rotateRefreshTokens: z.boolean().optional(),
    badRequestAfterDeath: z.boolean().optional(),
    tokeninfoNumbers: z.boolean().optional(),
    accessTokenLength: z.number().int().min(32).max(2048).optional(),
    refreshTokenCap: z.number().int().min(1).optional(),
    codeLifetimeSeconds: z.number().int().min(1).optional(),
    rejectRollupPageSize: z.boolean().optional(),
    rollupOrder: z.enum(["asc", "desc"]).optional(),
    nameUserSegment: z.enum(["id", "me"]).optional(),
    callLog: z.enum(["full", "summary", "off"]).optional(),
  }),
  notify: z.strictObject({
    to: z.union([
      z.strictObject({ subscriber: z.string() }),
      z.strictObject({ endpointUri: z.string(), secret: z.string() }),
    ]),
    kind: z.enum(["verification", "notification"]),
    notifications: z.array(z.strictObject({
      healthUserId: z.string(),
      dataType: z.string(),
      operation: z.enum(["UPSERT", "DELETE"]).optional(),
      intervals: z.array(z.unknown()).optional(),
      intervalForm: z.enum(["physical", "civil", "civilIso", "civilIsoString"]).optional(),
      clientProvidedSubscriptionName: z.string().optional(),
      extra: json.optional(),
    })).optional(),
    batch: z.boolean().optional(),
    variant: z.strictObject({
      missingAuth: z.boolean().optional(),
      wrongSecret: z.string().optional(),
      badSignature: z.boolean().optional(),
      oldHeaderName: z.boolean().optional(),
      unsigned: z.boolean().optional(),
    }).optional(),
  }),
};

/** Parses a body with a schema and runs `act`; errors become 400 `{error}`. */
async function withBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  act: (body: T) => unknown | Promise<unknown>,
): Promise<Response> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
  try {
    return c.json((await act(parsed.data)) ?? {});
  } catch (error) {
    return c.json({ error: (error as Error).message }, 400);
  }
}

/** Registers `/__fake/*`. */
export function controlRoutes(app: Hono, fake: FakeGoogleHealth): void {
  app.post("/__fake/reset", (c) => {
    fake.reset();
    return c.json({});
  });
  app.post("/__fake/clients", (c) => withBody(c, schemas.client, (b) => fake.addClient(b)));
  app.post("/__fake/users", (c) =>
    withBody(c, schemas.user, (b) => {
      const { data: _, ...user } = fake.addUser(b);
      return user;
    }));
  app.put(
    "/__fake/users/:id/data",
    (c) => withBody(c, seedSchema, (b) => fake.setData(c.req.param("id"), b)),
  );
  app.post(
    "/__fake/users/:id/data",
    (c) => withBody(c, seedSchema, (b) => fake.addData(c.req.param("id"), b)),
  );
  app.post("/__fake/grants", (c) => withBody(c, schemas.grant, (b) => fake.grant(b)));
  app.post("/__fake/grants/:id/revoke", (c) => {
    try {
      fake.revokeGrant(c.req.param("id"));
      return c.json({});
    } catch (error) {
      return c.json({ error: (error as Error).message }, 404);
    }
  });
  app.post("/__fake/consent", (c) =>
    withBody(c, schemas.consent, (b) => {
      fake.consent = "page" in b ? undefined : b;
    }));
  app.put("/__fake/clock", (c) =>
    withBody(c, schemas.clock, (b) => {
      const base = "now" in b
        ? (typeof b.now === "number" ? b.now : Date.parse(b.now))
        : fake.now() + b.advanceMs;
      if (!Number.isFinite(base)) throw new Error("now must be epoch ms or an ISO instant");
      fake.now = () => base;
      return { now: base };
    }));
  app.put("/__fake/config", (c) => withBody(c, schemas.config, (b) => fake.configure(b)));
  app.get("/__fake/config", (c) => c.json(fake.config));
  app.post("/__fake/faults", (c) =>
    withBody(c, schemas.fault, (b) => {
      // deno-lint-ignore no-explicit-any
      fake.fault(b.match as any, b.action as any, b.times ?? 1);
    }));
  app.delete("/__fake/faults", (c) => {
    fake.faults = [];
    return c.json({});
  });
  app.get("/__fake/requests", (c) => {
    const q = c.req.query();
    return c.json(fake.calls({
      // deno-lint-ignore no-explicit-any
      endpoint: q.endpoint as any,
      dataType: q.dataType,
      healthUserId: q.healthUserId,
      grantType: q.grantType,
      method: q.method,
    }));
  });
  app.delete("/__fake/requests", (c) => {
    fake.log = [];
    fake.callCount = 0;
    return c.json({});
  });
  app.get("/__fake/stats", (c) =>
    c.json({
      calls: fake.callCount,
      peakPerUserMinute: fake.quota.peakPerUserMinute(),
      quotaRefusals: fake.quota.refused,
    }));
  app.post("/__fake/notify", (c) =>
    withBody(c, schemas.notify, async (b) => {
      if (b.kind === "verification") return await fake.webhooks.verify(b.to);
      const deliveries = await fake.webhooks.notify(b.to, b.notifications ?? [], {
        batch: b.batch,
        variant: b.variant,
      });
      return { deliveries };
    }));
  app.get("/__fake/deliveries", (c) => c.json(fake.webhooks.deliveries));
  app.get("/__fake/keyset.json", (c) => c.json(fake.webhooks.keyset()));
}
