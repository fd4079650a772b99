import { defineConfig } from "vitest/config";

// The load suite (load/): plain Node, driving `wrangler dev` with autocannon. Not the workerd pool of
// vitest.config.ts: it runs after it in `npm test`, on its own port (8821) and its own temporary state.
const seconds = Number(process.env.HALTE_LOAD_SECONDS ?? "10");

export default defineConfig({
  test: {
    include: ["load/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    // The traffic itself, plus time for autocannon to collect its last answers.
    testTimeout: seconds * 1000 + 60_000,
    hookTimeout: 180_000,
  },
});
