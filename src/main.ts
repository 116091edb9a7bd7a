import { seedFirstAdmin } from "./accounts/admin/seed.ts";
import { createApp } from "./app.ts";
import { startAuditPrune } from "./audit/audit.prune.ts";
import { loadOrCreateKeys } from "./auth/keys.ts";
import { TokenService } from "./auth/tokens.ts";
import type { Deps } from "./core/context.ts";
import { createLogger } from "./core/log.ts";
import { migrateDatabase, openDatabase } from "./db/client.ts";
import { EnvError, loadEnv } from "./env.ts";
import { createTrackingIngest } from "./tracking/ingest.ts";
import { DataCipher, DataKeyError, loadOrCreateDataKey } from "./wearables/secrets.ts";
import { Wearables } from "./wearables/wearables.service.ts";

/** Start-up: configuration, database and migrations, first admin, keys, then HTTP(S). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  await migrateDatabase(database.db);
  await seedFirstAdmin(database.db, {
    username: config.ADMIN_USERNAME,
    password: config.ADMIN_PASSWORD,
    now: Date.now(),
    log,
  });
  const keys = await loadOrCreateKeys(
    config.JWT_PRIVATE_KEY_PATH ?? `${config.DATA_DIR}/keys/jwt.key`,
    config.JWT_PUBLIC_KEY_PATH ?? `${config.DATA_DIR}/keys/jwt.pem`,
  );
  let dataKey;
  try {
    dataKey = await loadOrCreateDataKey(
      config.DATA_ENCRYPTION_KEY,
      `${config.DATA_DIR}/keys/data.key`,
    );
  } catch (error) {
    if (error instanceof DataKeyError) {
      console.error(`Invalid configuration: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
  const wearables = new Wearables({
    db: database.db,
    config,
    cipher: new DataCipher(dataKey),
    ingest: createTrackingIngest(database.db, Date.now, log),
    log,
    now: Date.now,
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
  const workers = [...wearables.startWorkers(), startAuditPrune(deps)];

  const tls = config.SSL_CERT_PATH && config.SSL_KEY_PATH
    ? {
      cert: await Deno.readTextFile(config.SSL_CERT_PATH),
      key: await Deno.readTextFile(config.SSL_KEY_PATH),
    }
    : {};
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOST,
    ...tls,
    onListen: ({ hostname, port }) =>
      log.info("listening", {
        url: `${"cert" in tls ? "https" : "http"}://${hostname}:${port}/v1`,
      }),
  }, app.fetch);

  // Graceful shutdown: stop accepting, let in-flight requests and background runs finish,
  // then close the database.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    await server.shutdown();
    await Promise.all(workers.map((worker) => worker.stop()));
    await wearables.revocationsSettled();
    database.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => shutdown("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.main) await main();
