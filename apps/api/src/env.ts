import { z } from "zod";
import type { CentreJobMessage } from "./jobs/queue.js";

/**
 * The Worker's vars and secrets, checked once per isolate at the edge: a misconfigured deployment answers
 * 503 with a clear log line instead of failing deep inside a handler.
 */
export const WorkerConfig = z.object({
  ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
  /**
   * Whether `/api/docs` serves the interactive API reference (Swagger UI, self-hosted). Off in production
   * unless set to `enabled` (say, on a staging Worker); on elsewhere. The OpenAPI document itself is always
   * at `/api/openapi.json`. See docs/security.md.
   */
  API_REFERENCE: z.enum(["enabled", "disabled"]).optional(),
  /**
   * Base64 secret (≥ 32 bytes) from which each centre's visitor-code key is derived
   * (HMAC-SHA-256(secret, centreId)); set with `wrangler secret put VISITOR_CODE_SECRET`.
   */
  VISITOR_CODE_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64")
    .refine((s) => atob(s).length >= 32, "must decode to at least 32 bytes"),
  /**
   * Base64 secret (≥ 32 bytes) under which partners' webhook secrets are stored encrypted (AES-256-GCM, key
   * derived with HKDF-SHA-256); set with `wrangler secret put WEBHOOK_SECRETS_KEY`. Losing it means issuing
   * every partner a new webhook secret.
   */
  WEBHOOK_SECRETS_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64")
    .refine((s) => atob(s).length >= 32, "must decode to at least 32 bytes"),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

/** Bindings as wrangler.jsonc declares them. */
export interface Env {
  /** The directory database (and every centre's, on a single-database install): src/databases.ts. */
  DB: D1Database;
  /** The figures database (month partials); the directory's when not bound. */
  FIGURES?: D1Database;
  ASSETS?: Fetcher;
  ENVIRONMENT?: string;
  API_REFERENCE?: string;
  VISITOR_CODE_SECRET?: string;
  WEBHOOK_SECRETS_KEY?: string;
  /** Outbound partner webhooks: one message per delivery attempt series (see routes/webhooks/delivery.ts). */
  WEBHOOK_QUEUE?: Queue<{ deliveryId: string }>;
  /** Per-centre roll-ups and purges: one message per centre and job (see src/jobs/queue.ts). */
  JOB_QUEUE?: Queue<CentreJobMessage>;
}

const parsedByEnv = new WeakMap<object, ReturnType<typeof WorkerConfig.safeParse>>();

/** Parses the config once per env object (one per isolate in production). */
export function readConfig(env: Env): ReturnType<typeof WorkerConfig.safeParse> {
  let parsed = parsedByEnv.get(env);
  if (!parsed) {
    parsed = WorkerConfig.safeParse({
      ENVIRONMENT: env.ENVIRONMENT,
      API_REFERENCE: env.API_REFERENCE,
      VISITOR_CODE_SECRET: env.VISITOR_CODE_SECRET,
      WEBHOOK_SECRETS_KEY: env.WEBHOOK_SECRETS_KEY,
    });
    parsedByEnv.set(env, parsed);
  }
  return parsed;
}
