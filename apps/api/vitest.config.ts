import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(new URL("../../packages/db/migrations", import.meta.url).pathname);

// Integration tests run inside workerd with a real local D1, migrated in test/setup.ts.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./src/worker.ts",
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          VISITOR_CODE_SECRET: "dGVzdC1vbmx5LXZpc2l0b3ItY29kZS1zZWNyZXQtMzItYnl0ZXMhIQ==",
          TEST_MIGRATIONS: migrations,
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    silent: "passed-only",
  },
});
