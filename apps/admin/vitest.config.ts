import { defineConfig } from "vitest/config";

// Node-side end-to-end tests: a real `wrangler dev` and a real Chromium (test/e2e.test.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
