import { defineConfig } from "vitest/config";

// The operator's command-line tools (cli-test/): plain Node, driving wrangler against local D1 state in
// temporary directories — not the workerd pool of vitest.config.ts, since they run wrangler and read its
// SQLite state. One file at a time: each spends most of its time in wrangler processes.
export default defineConfig({
  test: {
    include: ["cli-test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
