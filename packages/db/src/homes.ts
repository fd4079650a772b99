/**
 * Where each table's rows live once every centre has its own database (docs/scale.md, "One database per
 * centre"). Every database has every table (the same migrations); these lists say which rows belong where.
 * The move from one database to many (`apps/api/scripts/split-centres.mjs`) and the isolation tests read them.
 */

/** What must be known before the centre: who is calling, partners' identities, secrets, the centre list. */
export const DIRECTORY_TABLES = [
  "centres",
  "users",
  "sessions",
  "api_tokens",
  "partners",
  "partner_centres",
  "webhook_secrets",
  "webhook_endpoints",
  "webhook_deliveries",
  "webhook_delivery_attempts",
  "door_devices",
  "rate_limits",
  "job_runs",
] as const;

/**
 * Everything about a centre's people and their visits, each row with its `centre_id` (a centre database
 * holds only its own centre's rows). `referral_history` has no `centre_id`: it follows its referral;
 * `job_watermarks` neither: a centre's roll-up and month-merge watermarks (`visit-rollup:<centreId>`,
 * `month-partials:<centreId>`) sit with its roll-ups.
 */
export const CENTRE_TABLES = [
  "services",
  "visits",
  "service_uses",
  "visit_rollups",
  "visit_month_rollups",
  "job_watermarks",
  "referrals",
  "referral_history",
  "referral_acknowledgements",
  "consents",
  "service_capacity_reports",
  "tickets",
  "ticket_prefixes",
  "events",
  "feedback",
  "lessons",
  "inbound_webhooks",
] as const;

/**
 * Only ever in a centre's own database, never moved by the split: the credential grants that let a door write
 * (or a partner's signed report) check its caller there in one round trip, and their revocation fences.
 */
export const CENTRE_ONLY_TABLES = ["credential_grants", "credential_fences"] as const;

/** Copied into each centre's database, its own rows only: the rows the centre tables' foreign keys name. */
export const CENTRE_COPIED_TABLES = ["centres", "partners"] as const;

/** Written where the change is: the directory's writes there, a centre's writes in the centre's database. */
export const EVERYWHERE_TABLES = ["audit_log"] as const;

/**
 * Cross-centre figures: each centre's complete months, quarters and years without visitor-code prefixes,
 * in the `FIGURES` database, else the directory.
 */
export const FIGURES_TABLES = ["visit_period_figures"] as const;
