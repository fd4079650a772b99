import { defineConfig } from "vitest/config";

// Node-side end-to-end tests: a real `wrangler dev` and a real Chromium (test/e2e.test.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A page's state after a click can take seconds on a busy 2-core machine: vitest's 1 s default for
    // `expect.poll` made the dashboards suite fail one run in ten (a table still by day after "month").
    expect: { poll: { timeout: 15_000 } },
  },
});
