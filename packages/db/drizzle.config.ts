import { defineConfig } from "drizzle-kit";

// drizzle-kit writes NNNN_name.sql (read by `wrangler d1 migrations apply`) plus meta/ (read by drizzle-kit).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/index.ts",
  out: "./migrations",
});
