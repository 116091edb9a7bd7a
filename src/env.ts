import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { normalizeAddress } from "./core/client-address.ts";

/**
 * The project root (the folder holding deno.json). Relative paths in the configuration
 * (DATA_DIR, key and certificate paths, a relative `file:` DATABASE_URL) resolve against
 * it, not against the shell's working directory, so every way of starting the service
 * finds the same data.
 */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Where the service keeps its data by default: the SQLite file and generated secrets. */
export const DEFAULT_DATA_DIR = "data";

const NOT_A_PORT = { error: "must be a port number (0 to 65535)" };
const port = z.coerce.number(NOT_A_PORT).int(NOT_A_PORT).min(0, NOT_A_PORT).max(65535, NOT_A_PORT);
const NOT_WHOLE = { error: "must be a whole number" };
const nonNegativeInt = z.coerce.number(NOT_WHOLE).int(NOT_WHOLE).min(0, {
  error: "must be 0 or more",
});
const optionalText = z.string().min(1).optional();
/** `true` or `false`; unset is false. */
const flag = z.enum(["true", "false"]).default("false").transform((v) => v === "true");

const databaseUrl = z
  .string()
  .refine((url) => /^(file:|libsql:\/\/|https?:\/\/)/.test(url), {
    message: "must start with file:, libsql://, http:// or https://",
  });

function isBase64Key(value: string): boolean {
  try {
    return atob(value.trim()).length === 32;
  } catch {
    return false;
  }
}

/** Every setting the service reads, validated once at boot. */
export const envSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_AUTH_TOKEN: optionalText,
  ADMIN_USERNAME: z.string().min(1).default("admin"),
  ADMIN_PASSWORD: optionalText,
  JWT_ISSUER: z.string().min(1).default("ocariot"),
  JWT_PRIVATE_KEY_PATH: optionalText,
  JWT_PUBLIC_KEY_PATH: optionalText,
  /**
   * `true` restores the original platform's self-service: a family may change its own
   * children and institution, educators and health professionals their institution, and
   * groups may hold any child. Off by default: self-service never widens reach.
   */
  LEGACY_SELF_SERVICE: flag,
  /**
   * Failed logins (POST /v1/auth answering 401) counted per username and per client
   * address within a fixed window; past the limit every attempt, right password included,
   * gets 429 until the window ends. Successful logins never count. 0 disables a limit.
   */
  LOGIN_RATE_LIMIT_WINDOW_MS: nonNegativeInt.default(900_000),
  LOGIN_RATE_LIMIT_PER_USERNAME: nonNegativeInt.default(10),
  LOGIN_RATE_LIMIT_PER_ADDRESS: nonNegativeInt.default(100),
  /**
   * Comma-separated addresses of reverse proxies whose `X-Forwarded-For` is believed when
   * finding the client address (core/client-address.ts). Empty: the socket address only.
   */
  TRUSTED_PROXIES: z.string().default("").transform((list, ctx) => {
    const addresses = list.split(",").map((entry) => entry.trim()).filter(Boolean);
    const invalid = addresses.find((entry) =>
      !z.ipv4().safeParse(entry).success &&
      !z.ipv6().safeParse(entry).success
    );
    if (invalid !== undefined) {
      ctx.addIssue({ code: "custom", message: `must list IP addresses ("${invalid}" is not one)` });
      return z.NEVER;
    }
    return addresses.map(normalizeAddress);
  }),
  RATE_LIMIT_WINDOW_MS: nonNegativeInt.default(3_600_000),
  RATE_LIMIT_MAX: nonNegativeInt.default(10),
  SSL_CERT_PATH: optionalText,
  SSL_KEY_PATH: optionalText,
  REDIRECT_HTTPS: flag,
  HTTPS_PORT: port.default(443),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Port of the Prometheus endpoint (`/metrics`), a listener of its own; unset: no metrics. */
  METRICS_PORT: port.optional(),
  /** Address of the metrics listener: loopback unless a scraper elsewhere must reach it. */
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  FITBIT_CLIENT_ID: optionalText,
  FITBIT_CLIENT_SECRET: optionalText,
  FITBIT_API_URL: z.url().default("https://api.fitbit.com"),
  /** Fitbit's consent page (the platform-managed authorization sends browsers there). */
  FITBIT_AUTHORIZE_URL: z.url().default("https://www.fitbit.com/oauth2/authorize"),
  /** The callback registered with Fitbit; default: this service's `/v1/fitbit/callback`. */
  FITBIT_REDIRECT_URI: z.url().optional(),
  /** Seconds between two background syncs of the same child; 0 disables the scheduler. */
  FITBIT_SYNC_INTERVAL: nonNegativeInt.default(0),
  /** Children the background sync handles at once. */
  FITBIT_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** Timeout of one wearable provider request (Google Health and Fitbit), ms. */
  FITBIT_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Count a refused connection to the legacy Fitbit hosts as "grant gone", like their 410
   * (google-health.md §4.5); for networks where those hosts no longer answer at all.
   */
  FITBIT_REFUSED_MEANS_GONE: flag,
  /** The provider new wearable connections use; existing ones keep theirs. */
  WEARABLE_PROVIDER: z.enum(["google_health", "fitbit"]).default("google_health"),
  /** Google OAuth client ("Web application") of the platform (google-health.md §1). */
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  GOOGLE_HEALTH_API_BASE_URL: z.url().default("https://health.googleapis.com"),
  GOOGLE_OAUTH_AUTH_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  GOOGLE_OAUTH_REVOKE_URL: z.url().default("https://oauth2.googleapis.com/revoke"),
  GOOGLE_TOKENINFO_URL: z.url().default("https://oauth2.googleapis.com/tokeninfo"),
  /** The Google Cloud project number (the webhook subscriber is registered under it). */
  GOOGLE_PROJECT_NUMBER: z.string().regex(/^\d+$/, { message: "must be digits" }).optional(),
  /** The `Authorization` value Google sends with push notifications, exactly as registered. */
  GOOGLE_HEALTH_WEBHOOK_SECRET: z.string().min(16, {
    message: "must be at least 16 characters",
  }).optional(),
  /** Google's public keyset for notification signatures; set: unsigned notifications are refused. */
  GOOGLE_HEALTH_WEBHOOK_KEYSET_URL: z.url().optional(),
  /** Retries of a Google Health call answered 429/503/504 or not at all (back-off with jitter). */
  GOOGLE_HEALTH_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** First back-off before such a retry, ms (doubles each time). */
  GOOGLE_HEALTH_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
  /** Attempts of a remote revocation (the first included) before it is given up. */
  WEARABLE_REVOKE_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  /** Age after which a failing remote revocation is given up, hours. */
  WEARABLE_REVOKE_MAX_AGE_HOURS: z.coerce.number().int().min(1).default(72),
  /** Base64 of 32 bytes (AES-256-GCM) sealing tokens at rest; unset: generated in DATA_DIR/keys. */
  DATA_ENCRYPTION_KEY: optionalText.refine(
    (value) => value === undefined || isBase64Key(value),
    { message: "must be the base64 encoding of 32 bytes" },
  ),
  /** Days the audit trail keeps a row (docs/audit.md); 0 keeps every row for ever. */
  AUDIT_RETENTION_DAYS: nonNegativeInt.default(365),
});

/** The validated configuration, with paths absolute and the database URL and key paths resolved. */
export type Env = z.infer<typeof envSchema> & {
  DATABASE_URL: string;
  JWT_PRIVATE_KEY_PATH: string;
  JWT_PUBLIC_KEY_PATH: string;
};

/** Thrown when a variable is invalid; its message is the one line start-up prints. */
export class EnvError extends Error {}

/**
 * Validates the given variables (default: the process environment).
 * Empty strings count as unset, so `FOO=` in a shell behaves like no FOO.
 */
export function loadEnv(source: Record<string, string | undefined> = Deno.env.toObject()): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    const value = cleaned[name];
    const shown = value === undefined || /PASSWORD|SECRET|TOKEN|KEY$/.test(name)
      ? ""
      : ` (got "${value}")`;
    throw new EnvError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const env = result.data;
  if (Boolean(env.SSL_CERT_PATH) !== Boolean(env.SSL_KEY_PATH)) {
    throw new EnvError(
      "Invalid configuration: SSL_CERT_PATH and SSL_KEY_PATH must be set together",
    );
  }
  const dataDir = absolutePath(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    DATABASE_URL: env.DATABASE_URL
      ? absoluteFileUrl(env.DATABASE_URL)
      : `file:${resolve(dataDir, "ocariot.db")}`,
    JWT_PRIVATE_KEY_PATH: absolutePath(env.JWT_PRIVATE_KEY_PATH ?? `${dataDir}/keys/jwt.key`),
    JWT_PUBLIC_KEY_PATH: absolutePath(env.JWT_PUBLIC_KEY_PATH ?? `${dataDir}/keys/jwt.pem`),
    SSL_CERT_PATH: env.SSL_CERT_PATH && absolutePath(env.SSL_CERT_PATH),
    SSL_KEY_PATH: env.SSL_KEY_PATH && absolutePath(env.SSL_KEY_PATH),
  };
}

/** The file holding the generated data key (used when DATA_ENCRYPTION_KEY is unset). */
export function dataKeyPath(config: Pick<Env, "DATA_DIR">): string {
  return `${config.DATA_DIR}/keys/data.key`;
}

/** A path from the configuration, made absolute against the project root. */
export function absolutePath(path: string): string {
  return isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/** `file:relative.db` against the project root; other URLs (and `:memory:`) unchanged. */
function absoluteFileUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const path = url.slice("file:".length);
  if (path.startsWith("//") || path === ":memory:" || isAbsolute(path)) return url;
  return `file:${absolutePath(path)}`;
}

/** The database URL as logs may show it: no password, user or token. */
export function redactDatabaseUrl(url: string): string {
  if (url.startsWith("file:")) return url;
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|key|secret|password/i.test(key)) parsed.searchParams.set(key, "redacted");
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}
