import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(new URL("../../packages/db/migrations", import.meta.url).pathname);

const CENTRE_BINDINGS = ["CENTRE_A", "CENTRE_B", "CENTRE_C"];

/**
 * The integration tests' pool: workerd with real local D1 databases, migrated in test/setup.ts — the
 * directory (`DB`, from wrangler.jsonc) and three centre databases. `layout: "split"` makes the test
 * helpers put each new centre in its own database (`givenCentre` in test/helpers.ts, round robin over the
 * three), so suites written for one database run again with one database per centre.
 */
export function workersTestConfig(options: { layout: "single" | "split"; include: string[] }) {
  return defineConfig({
    plugins: [
      cloudflareTest({
        main: "./src/worker.ts",
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          d1Databases: ["DB", ...CENTRE_BINDINGS],
          bindings: {
            ENVIRONMENT: "test",
            TEST_LAYOUT: options.layout,
            VISITOR_CODE_SECRET: "dGVzdC1vbmx5LXZpc2l0b3ItY29kZS1zZWNyZXQtMzItYnl0ZXMhIQ==",
            WEBHOOK_SECRETS_KEY: "dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0cy1rZXktMzItYnl0ZXMhIQ==",
            TEST_MIGRATIONS: migrations,
            // test/fuzz.test.ts: 2,000 requests in `npm test`; CI sets HALTE_FUZZ_RUNS=10000.
            FUZZ_RUNS: process.env.HALTE_FUZZ_RUNS ?? "2000",
            // Replays a failing fuzz run: HALTE_FUZZ_SEED=<the seed it printed>.
            ...(process.env.HALTE_FUZZ_SEED ? { FUZZ_SEED: process.env.HALTE_FUZZ_SEED } : {}),
            // Runs the suites at another instant, e.g. 00:05 in Paris: HALTE_TEST_NOW=2026-12-07T23:05:00Z
            // (test/pinned-clock.setup.ts moves the clock there; docs/development.md, "Tests at any hour").
            ...(process.env.HALTE_TEST_NOW ? { TEST_NOW: process.env.HALTE_TEST_NOW } : {}),
          },
          // Tests reach no real network: the queue consumer's background deliveries to partners' example URLs
          // get a plain 503 instead of a DNS failure. Delivery tests hand the consumer their own receiver.
          outboundService: () => new Response("no network in tests", { status: 503 }),
        },
      }),
    ],
    test: {
      include: options.include,
      setupFiles: [
        "./test/setup.ts",
        "./test/pinned-clock.setup.ts",
        ...(options.layout === "split" ? ["./test/split-sweep.setup.ts"] : []),
      ],
      silent: "passed-only",
      // A test that signs several people in (PBKDF2, 100,000 rounds each) takes 1–2 s on an idle 2-core
      // machine and has passed 5 s when the machine is busy: the limit guards against hangs, not speed.
      testTimeout: 15_000,
    },
  });
}
