import { importPKCS8, SignJWT } from "jose";
import { ofetch } from "ofetch";
import { loadEnv } from "../../../env.ts";

/**
 * Registers (or updates) the platform's Google Health webhook subscriber
 * (google-health.md §5.1–§5.3): `projects/{GOOGLE_PROJECT_NUMBER}/subscribers/{id}` with
 * the receiver's public URL, the data types the platform reads (AUTOMATIC: every user who
 * consented is notified) and the `Authorization` secret Google will send. Google verifies
 * the endpoint while creating it, so the service must already run there with
 * GOOGLE_HEALTH_WEBHOOK_SECRET set. Management calls need a token with the
 * `cloud-platform` scope: a service account key (GOOGLE_APPLICATION_CREDENTIALS) or a
 * token given directly (`--access-token`, e.g. from `gcloud auth print-access-token`).
 *
 * `deno task google-health:subscribe --endpoint=https://api.example.org/v1/google-health/notifications`
 */

/** The data types the platform reads, as subscriber configs name them (kebab-case). */
export const SUBSCRIBED_TYPES = [
  "steps",
  "total-calories",
  "active-minutes",
  "sedentary-period",
  "exercise",
  "sleep",
  "weight",
  "body-fat",
];

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/** What a registration needs. */
export interface SubscriberInput {
  apiUrl: string;
  projectNumber: string;
  /** 4–36 characters: a lower-case letter, then letters, digits or dashes. */
  subscriberId: string;
  endpointUri: string;
  secret: string;
  accessToken: string;
}

/** The subscriber as Google reports it (never the secret). */
export interface SubscriberView {
  name: string;
  endpointUri: string;
  state: string;
  action: "created" | "updated";
}

/**
 * Creates the subscriber, or updates it when it exists (409): endpoint, data types and
 * secret (Google re-verifies the endpoint when the URI or secret changes). Throws with
 * Google's message when refused.
 */
export async function registerSubscriber(input: SubscriberInput): Promise<SubscriberView> {
  const base = `${input.apiUrl}/v4/projects/${input.projectNumber}/subscribers`;
  const body = {
    endpointUri: input.endpointUri,
    subscriberConfigs: [{ dataTypes: SUBSCRIBED_TYPES, subscriptionCreatePolicy: "AUTOMATIC" }],
    endpointAuthorization: { secret: input.secret },
  };
  const send = (method: "POST" | "PATCH", url: string, query: Record<string, string>) =>
    ofetch.raw(url, {
      method,
      query,
      body,
      headers: { Authorization: `Bearer ${input.accessToken}` },
      ignoreResponseError: true,
      retry: false,
      timeout: 60_000,
    });
  let action: SubscriberView["action"] = "created";
  let res = await send("POST", base, { subscriberId: input.subscriberId });
  if (res.status === 409) {
    action = "updated";
    res = await send("PATCH", `${base}/${input.subscriberId}`, {
      updateMask: "endpointUri,subscriberConfigs,endpointAuthorization",
    });
  }
  const answer = res._data as Record<string, unknown> | undefined;
  if (!res.ok) {
    const error = answer?.error as { message?: string } | undefined;
    throw new Error(`Google refused the subscriber (${res.status}): ${error?.message ?? ""}`);
  }
  // A long-running Operation; done at once in practice, its response is the Subscriber.
  const subscriber = (answer?.response ?? answer) as Record<string, unknown>;
  return {
    name: String(subscriber.name ?? `${base}/${input.subscriberId}`),
    endpointUri: String(subscriber.endpointUri ?? input.endpointUri),
    state: String(subscriber.state ?? (answer?.done ? "ACTIVE" : "PENDING")),
    action,
  };
}

/** A `cloud-platform` access token from a service account key file (JWT bearer grant). */
export async function serviceAccountToken(keyFile: string): Promise<string> {
  const key = JSON.parse(await Deno.readTextFile(keyFile)) as {
    client_email: string;
    private_key: string;
    token_uri?: string;
  };
  const tokenUri = key.token_uri ?? "https://oauth2.googleapis.com/token";
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope: CLOUD_PLATFORM })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(key.client_email)
    .setAudience(tokenUri)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(await importPKCS8(key.private_key, "RS256"));
  const answer = await ofetch<{ access_token: string }>(tokenUri, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion,
    }),
  });
  return answer.access_token;
}

/** The task: settings from the environment, the endpoint and id from the arguments. */
async function main(): Promise<void> {
  const args = Object.fromEntries(
    Deno.args.map((arg) => arg.replace(/^--/, "").split(/=(.*)/s).slice(0, 2)),
  );
  const config = loadEnv();
  const missing = [
    !config.GOOGLE_PROJECT_NUMBER && "GOOGLE_PROJECT_NUMBER",
    !config.GOOGLE_HEALTH_WEBHOOK_SECRET && "GOOGLE_HEALTH_WEBHOOK_SECRET",
    !args.endpoint && "--endpoint=<https URL of /v1/google-health/notifications>",
  ].filter(Boolean);
  const keyFile = Deno.env.get("GOOGLE_APPLICATION_CREDENTIALS");
  if (!args["access-token"] && !keyFile) {
    missing.push("GOOGLE_APPLICATION_CREDENTIALS or --access-token");
  }
  if (missing.length > 0) {
    console.error(`Missing: ${missing.join(", ")}`);
    Deno.exit(2);
  }
  const view = await registerSubscriber({
    apiUrl: config.GOOGLE_HEALTH_API_BASE_URL,
    projectNumber: config.GOOGLE_PROJECT_NUMBER!,
    subscriberId: args.id ?? "ocariot",
    endpointUri: args.endpoint,
    secret: config.GOOGLE_HEALTH_WEBHOOK_SECRET!,
    accessToken: args["access-token"] ?? await serviceAccountToken(keyFile!),
  });
  console.log(JSON.stringify(view));
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
