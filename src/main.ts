import { seedFirstAdmin } from "./accounts/admin/seed.ts";
import { createApp } from "./app.ts";
import { startAuditPrune } from "./audit/audit.prune.ts";
import { loadOrCreateKeys } from "./auth/keys.ts";
import { TokenService } from "./auth/tokens.ts";
import type { Deps } from "./core/context.ts";
import { watchLaunchers } from "./core/launcher.ts";
import { createLogger, type Logger } from "./core/log.ts";
import { type DatabaseHandle, migrateDatabase, openDatabase } from "./db/client.ts";
import { dataKeyPath, type Env, EnvError, loadEnv, redactDatabaseUrl } from "./env.ts";
import { metricsHandler } from "./metrics/server.ts";
import { wearableMetrics } from "./metrics/wearables.ts";
import { VERSION } from "./platform/platform.routes.ts";
import { createTrackingIngest } from "./tracking/ingest.ts";
import { createProviders } from "./wearables/providers/registry.ts";
import type { Worker } from "./core/worker.ts";
import { DataCipher, DataKeyError, loadOrCreateDataKey } from "./wearables/secrets.ts";
import { Wearables } from "./wearables/wearables.service.ts";

/** A start-up failure; its message is the one line printed before exiting with status 1. */
export class StartupError extends Error {}

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/** A running service, as `start` leaves it. */
export interface Service {
  /** The API's base URL, e.g. `http://127.0.0.1:8080/v1`. */
  url: string;
  /** Stops accepting, waits for requests and background runs, closes the database. */
  stop(reason: string): Promise<void>;
}

/**
 * Start-up, in the order that writes nothing until it is known to work: configuration,
 * TLS files, then the listen addresses are bound (a port in use or a bad HOST fails here,
 * before any file exists); then the database (created and migrated), the first admin, the
 * keys, the app and the background jobs. Requests reaching the bound port before the app is
 * ready wait for it. Ends with one log line saying what runs where.
 */
export async function start(variables: Record<string, string | undefined>): Promise<Service> {
  const config = configuration(variables);
  const log = createLogger(config.LOG_LEVEL);
  const tls = await readTls(config);

  let handle: Handler | undefined;
  const ready = Promise.withResolvers<Handler>();
  ready.promise.catch(() => {});
  const server = bind("HOST", "PORT", config.HOST, config.PORT, {
    ...tls,
    handler: (request, info) =>
      handle ? handle(request, info) : ready.promise.then((h) => h(request, info)),
  });
  let metrics: Deno.HttpServer | undefined;
  let database: DatabaseHandle | undefined;
  try {
    let serveMetrics: (request: Request) => Response | Promise<Response> = unavailable;
    if (config.METRICS_PORT !== undefined) {
      metrics = bind("METRICS_HOST", "METRICS_PORT", config.METRICS_HOST, config.METRICS_PORT, {
        handler: (request) => serveMetrics(request),
      });
    }

    database = await openConfiguredDatabase(config);
    const admin = await seedFirstAdmin(database.db, {
      username: config.ADMIN_USERNAME,
      password: config.ADMIN_PASSWORD,
      now: Date.now(),
    });
    const keys = await loadOrCreateKeys(config.JWT_PRIVATE_KEY_PATH, config.JWT_PUBLIC_KEY_PATH);
    const cipher = new DataCipher(await dataKey(config));
    const wearables = new Wearables({
      db: database.db,
      config,
      cipher,
      ingest: createTrackingIngest(database.db, Date.now, log),
      log,
      now: Date.now,
      providers: createProviders(config, Date.now),
      telemetry: wearableMetrics,
    });
    const deps: Deps = {
      db: database.db,
      config,
      tokens: new TokenService(keys, config.JWT_ISSUER),
      log,
      now: Date.now,
      wearables,
    };
    const app = createApp(deps);
    handle = app.fetch;
    ready.resolve(app.fetch);
    serveMetrics = metricsHandler(database.db);
    const workers = [...wearables.startWorkers(), startAuditPrune(deps)];

    const url = `${"cert" in tls ? "https" : "http"}://${address(server.addr)}/v1`;
    if (admin.created && admin.generatedPassword !== undefined) {
      // Printed once, on the console only: not a log line, so log shipping never stores it.
      console.log(
        `\nFirst admin created: username "${admin.username}", password "${admin.generatedPassword}"\n`,
      );
    }
    log.info("listening", {
      version: VERSION,
      url,
      data_dir: config.DATA_DIR,
      database: redactDatabaseUrl(config.DATABASE_URL),
      metrics: metrics ? `http://${address(metrics.addr)}/metrics` : "off",
      jobs: workers.map((worker) => worker.name),
      ...(admin.created && { first_admin: admin.username }),
    });
    if (!admin.created && admin.passwordIgnored) {
      log.warn(
        "ADMIN_PASSWORD is ignored: an admin exists already. To change a password: deno task admin reset-password <username>",
      );
    }
    return { url, stop: stopper(log, server, metrics, workers, wearables, database) };
  } catch (error) {
    ready.reject(error);
    await Promise.allSettled([server.shutdown(), metrics?.shutdown()]);
    database?.close();
    throw error;
  }
}

function configuration(variables: Record<string, string | undefined>): Env {
  try {
    return loadEnv(variables);
  } catch (error) {
    if (error instanceof EnvError) throw new StartupError(error.message);
    throw error;
  }
}

async function readTls(config: Env): Promise<{ cert: string; key: string } | object> {
  if (!config.SSL_CERT_PATH || !config.SSL_KEY_PATH) return {};
  return {
    cert: await readConfigured("SSL_CERT_PATH", config.SSL_CERT_PATH),
    key: await readConfigured("SSL_KEY_PATH", config.SSL_KEY_PATH),
  };
}

async function readConfigured(variable: string, path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new StartupError(
      `Invalid configuration: ${variable} cannot be read (${path}: ${messageOf(error)})`,
    );
  }
}

/** Binds a listener now (Deno.serve binds synchronously); failures name the variables. */
function bind(
  hostVariable: string,
  portVariable: string,
  hostname: string,
  port: number,
  options: { handler: Handler; cert?: string; key?: string },
): Deno.HttpServer {
  try {
    return Deno.serve({ hostname, port, onListen: () => {}, ...options });
  } catch (error) {
    const where = `${hostname}:${port}`;
    if (error instanceof Deno.errors.AddrInUse) {
      throw new StartupError(
        `Cannot listen on ${where}: port ${port} is already in use (set ${portVariable} to a free port, or stop the process holding it)`,
      );
    }
    if (error instanceof Deno.errors.AddrNotAvailable) {
      throw new StartupError(
        `Invalid configuration: ${hostVariable} "${hostname}" is not an address of this machine`,
      );
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new StartupError(
        `Cannot listen on ${where}: permission denied (ports below 1024 need privileges; set ${portVariable})`,
      );
    }
    if (/lookup|resolve|name or service|invalid/i.test(messageOf(error))) {
      throw new StartupError(
        `Invalid configuration: ${hostVariable} "${hostname}" cannot be resolved (${
          messageOf(error)
        })`,
      );
    }
    throw new StartupError(`Cannot listen on ${where}: ${messageOf(error)}`);
  }
}

async function openConfiguredDatabase(config: Env): Promise<DatabaseHandle> {
  const shown = redactDatabaseUrl(config.DATABASE_URL);
  let database: DatabaseHandle | undefined;
  try {
    database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
    await migrateDatabase(database.db);
    return database;
  } catch (error) {
    database?.close();
    throw new StartupError(
      `Cannot open the database ${shown} (DATABASE_URL): ${messageOf(rootCause(error))}`,
    );
  }
}

async function dataKey(config: Env): Promise<CryptoKey> {
  try {
    return await loadOrCreateDataKey(config.DATA_ENCRYPTION_KEY, dataKeyPath(config));
  } catch (error) {
    if (error instanceof DataKeyError) {
      throw new StartupError(`Invalid configuration: ${error.message}`);
    }
    throw error;
  }
}

function unavailable(): Response {
  return new Response("starting\n", { status: 503 });
}

function address(addr: Deno.Addr): string {
  const { hostname, port } = addr as Deno.NetAddr;
  return `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/**
 * Graceful stop: stop accepting, let in-flight requests and background runs finish, then
 * close the database. Runs once, whichever signal or event asks first.
 */
function stopper(
  log: Logger,
  server: Deno.HttpServer,
  metrics: Deno.HttpServer | undefined,
  workers: Worker[],
  wearables: Wearables,
  database: DatabaseHandle,
): (reason: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (reason) =>
    stopping ??= (async () => {
      log.info("shutting down", { reason });
      await server.shutdown();
      await metrics?.shutdown();
      await Promise.all(workers.map((worker) => worker.stop()));
      await wearables.revocationsSettled();
      database.close();
    })();
}

/** The innermost cause (a driver's own message rather than the query that failed). */
function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  return cause;
}

/** The error's message on one line (start-up failures are one line by contract). */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

if (import.meta.main) {
  let service: Service;
  try {
    service = await start(Deno.env.toObject());
  } catch (error) {
    console.error(
      error instanceof StartupError ? error.message : `Start-up failed: ${messageOf(error)}`,
    );
    Deno.exit(1);
  }
  const stopAndExit = (reason: string) =>
    service.stop(reason).then(() => Deno.exit(0), (error) => {
      console.error(`Stop failed: ${messageOf(error)}`);
      Deno.exit(1);
    });
  Deno.addSignalListener("SIGINT", () => stopAndExit("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stopAndExit("SIGTERM"));
  watchLaunchers(stopAndExit);
}
