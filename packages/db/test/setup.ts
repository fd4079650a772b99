import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Idempotent: wrangler's migration table makes a second application a no-op.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
