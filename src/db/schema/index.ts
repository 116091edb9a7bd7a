/** The whole database schema; drizzle-kit reads this file to generate migrations. */
export * from "./accounts.ts";
export * from "./auth.ts";
export * from "./wearables.ts";
export * from "./tracking.ts";
export * from "./audit.ts";
