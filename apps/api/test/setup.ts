import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Idempotent: wrangler's migration table makes a second application a no-op. Every database gets the same
// migrations: the directory and the three centre databases of the split-layout tests.
for (const d1 of [env.DB, env.CENTRE_A, env.CENTRE_B, env.CENTRE_C]) {
  await applyD1Migrations(d1, env.TEST_MIGRATIONS);
}
