import { defineConfig } from "drizzle-kit";

// drizzle-kit only diffs the schema into SQL here; the service applies drizzle/ itself at start.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
