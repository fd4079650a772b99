// A small single-database install for the operator tools' tests: centres whose rows of every centre table
// (packages/db/src/homes.ts) are all in the directory (`DB`), plus directory-only rows that must stay
// where they are. Counts per centre are known (`SEEDED_PER_CENTRE`), so a test can check a move row by row.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiDir, wrangler } from "../bench/harness.js";

export { apiDir };

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};

/** How many rows of each moved table one seeded centre has. */
export const SEEDED_PER_CENTRE: Record<string, number> = {
  services: 2,
  visits: 6,
  service_uses: 7,
  visit_rollups: 2,
  visit_month_rollups: 1,
  job_watermarks: 2,
  referrals: 2,
  referral_history: 3,
  referral_acknowledgements: 1,
  consents: 1,
  service_capacity_reports: 1,
  tickets: 2,
  ticket_prefixes: 1,
  events: 1,
  feedback: 1,
  lessons: 1,
  inbound_webhooks: 1,
  audit_log: 3,
};

const AT = "2026-11-02T09:00:00.000Z";
const q = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`);
const row = (table: string, values: Record<string, string | number | null>) =>
  `INSERT INTO ${table} (${Object.keys(values).join(", ")}) VALUES (${Object.values(values).map(q).join(", ")});`;

/** The ids of one seeded centre's rows, every one prefixed with its key (`a`, `b`, …). */
function idsOf(key: string) {
  return {
    c: `centre-${key}`,
    p: (n: number) => `${key}-partner-${n}`,
    s: (n: number) => `${key}-service-${n}`,
    r: (n: number) => `${key}-referral-${n}`,
  };
}

/** The centre, its partners and services, its visits, uses and roll-ups. */
function activitySql(key: string, slug: string): string[] {
  const { c, p, s } = idsOf(key);
  const out = [
    row("centres", {
      id: c,
      created_at: AT,
      updated_at: AT,
      name: `Centre ${key}`,
      slug,
      opening_hours: '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}',
      time_zone: "Europe/Paris",
      disclosure_threshold: 5,
      retention_months: 24,
      languages: "[]",
    }),
  ];
  for (const n of [1, 2]) {
    out.push(
      row("partners", {
        id: p(n),
        created_at: AT,
        updated_at: AT,
        centre_id: c,
        name: `P${n}`,
        roles: '["service-provider"]',
      }),
    );
    out.push(
      row("services", {
        id: s(n),
        created_at: AT,
        updated_at: AT,
        centre_id: c,
        organization_id: p(n),
        name: `S${n}`,
        category: "hygiene",
        status: "active",
        languages: "[]",
        schedule: '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}',
        translations: "{}",
      }),
    );
  }
  for (let n = 1; n <= 6; n++) {
    out.push(
      row("visits", {
        id: `${key}-visit-${n}`,
        created_at: AT,
        updated_at: AT,
        centre_id: c,
        arrived_at: `2026-11-0${n}T09:00:00.000Z`,
        local_day: `2026-11-0${n}`,
        languages: "[]",
        record_key: 1000 + n,
        local_hour: 10,
      }),
    );
  }
  for (let n = 1; n <= 7; n++) {
    out.push(
      row("service_uses", {
        id: `${key}-use-${n}`,
        created_at: AT,
        updated_at: AT,
        centre_id: c,
        service_id: s((n % 2) + 1),
        visit_id: n <= 6 ? `${key}-visit-${n}` : null,
        used_at: AT,
        local_day: "2026-11-02",
        quantity: 1,
        source: n <= 6 ? "door" : "partner",
        partner_id: n <= 6 ? null : p(1),
        record_key: 2000 + n,
      }),
    );
  }
  for (const day of ["2026-11-01", "2026-11-02"]) {
    out.push(row("visit_rollups", { centre_id: c, local_day: day, aggregate: `{"day":"${day}"}` }));
  }
  out.push(
    row("visit_month_rollups", {
      centre_id: c,
      month: "2026-10",
      aggregate: '{"month":"2026-10"}',
      days: 2,
      merged_at: AT,
    }),
  );
  out.push(row("job_watermarks", { job: `visit-rollup:${c}`, watermark: AT }));
  out.push(row("job_watermarks", { job: `month-partials:${c}`, watermark: AT }));
  return out;
}

/** Its referrals and their history, consents, tickets, events, feedback, lessons, receipts, audit rows, a user. */
function caseworkSql(key: string): string[] {
  const { c, p, s, r } = idsOf(key);
  const out: string[] = [];
  for (const n of [1, 2]) {
    out.push(
      row("referrals", {
        id: r(n),
        created_at: AT,
        updated_at: AT,
        centre_id: c,
        partner_id: p(n),
        service_id: s(n),
        need: "health",
        status: "requested",
        languages: "[]",
        version: 1,
        record_key: 3000 + n,
      }),
    );
  }
  for (const [n, to] of [
    [1, "requested"],
    [1, "accepted"],
    [2, "requested"],
  ] as const) {
    out.push(
      row("referral_history", {
        referral_id: r(n),
        from_status: "draft",
        to_status: to,
        actor: "centre",
        at: AT,
        event: "status",
      }),
    );
  }
  out.push(
    row("referral_acknowledgements", {
      referral_id: r(1),
      centre_id: c,
      partner_id: p(1),
      acknowledged_at: AT,
    }),
  );
  out.push(
    row("consents", {
      id: `${key}-consent-1`,
      created_at: AT,
      updated_at: AT,
      centre_id: c,
      referral_id: r(1),
      given_at: AT,
      method: "oral",
      scopes: '["contact"]',
    }),
  );
  out.push(
    row("service_capacity_reports", {
      id: `${key}-capacity-1`,
      centre_id: c,
      service_id: s(1),
      partner_id: p(1),
      day: "2026-11-02",
      available: 3,
      occurred_at: AT,
      received_at: AT,
    }),
  );
  for (const n of [1, 2]) {
    out.push(
      row("tickets", {
        id: `${key}-ticket-${n}`,
        centre_id: c,
        service_id: s(1),
        local_day: "2026-11-02",
        prefix: "A",
        number: n,
        status: "waiting",
        taken_at: AT,
        taken_by: "x",
        created_at: AT,
        updated_at: AT,
      }),
    );
  }
  return out;
}

/** Its ticket prefix, event, feedback, lesson, inbound receipt, audit rows, and a user (directory-only). */
function recordsSql(key: string): string[] {
  const { c, p, s } = idsOf(key);
  const out: string[] = [];
  out.push(row("ticket_prefixes", { centre_id: c, holder_id: s(1), prefix: "A", created_at: AT }));
  out.push(
    row("events", {
      id: `${key}-event-1`,
      created_at: AT,
      updated_at: AT,
      centre_id: c,
      kind: "closure",
      title: "Closed",
      starts_on: "2026-11-03",
    }),
  );
  out.push(
    row("feedback", {
      id: `${key}-feedback-1`,
      created_at: AT,
      updated_at: AT,
      centre_id: c,
      text: "Merci",
      language: "fr",
      status: "new",
    }),
  );
  out.push(
    row("lessons", {
      id: `${key}-lesson-1`,
      created_at: AT,
      updated_at: AT,
      centre_id: c,
      type: "good_practice",
      theme: "coordination",
      title: "T",
      statement: "S",
      evidence: "[]",
      contributors: "[]",
      chs_commitments: "[]",
      period_start: "2026-11-01",
      period_end: "2026-11-30",
      status: "draft",
    }),
  );
  out.push(
    row("inbound_webhooks", {
      id: `${key}-inbound-1`,
      centre_id: c,
      partner_id: p(1),
      webhook_id: `msg-${key}`,
      event_type: "service_use.reported",
      occurred_at: AT,
      outcome: "accepted",
      response_status: 200,
      response_body: "{}",
      received_at: AT,
    }),
  );
  for (let n = 1; n <= 3; n++) {
    out.push(
      row("audit_log", {
        centre_id: c,
        actor_type: "user",
        action: "create",
        entity: "visit",
        entity_id: `${key}-visit-${n}`,
        at: AT,
      }),
    );
  }
  // Directory-only rows: they stay in the directory.
  out.push(
    row("users", {
      id: `${key}-user-1`,
      created_at: AT,
      updated_at: AT,
      email: `${key}@example.org`,
      name: "U",
      role: "coordinator",
      centre_id: c,
      password_hash: "h",
      password_salt: "s",
      password_iterations: 1,
    }),
  );
  return out;
}

/** The statements of one centre, every id prefixed with its key (`a`, `b`, …). */
export function centreSql(key: string, slug: string): string[] {
  return [...activitySql(key, slug), ...caseworkSql(key), ...recordsSql(key)];
}

/** Statements that belong to no centre: a watermark naming no centre, an audit row of a sign-in. */
export const directoryOnlySql = [
  row("job_watermarks", { job: "visit-month-rollup", watermark: AT }),
  row("audit_log", { centre_id: null, actor_type: "system", action: "login", entity: "session", at: AT }),
];

/** Runs one of the operator's scripts; returns its status and output (never throws). */
export function script(name: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(apiDir, "scripts", name), ...args], {
    cwd: apiDir,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A local install of its own: a copy of wrangler.jsonc in apps/api (its relative paths hold) and a state dir. */
export function localInstall() {
  const state = mkdtempSync(join(tmpdir(), "halte-cli-test-"));
  const configName = `.cli-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonc`;
  const config = join(apiDir, configName);
  copyFileSync(join(apiDir, "wrangler.jsonc"), config);
  const target = ["--local", "--persist-to", state, "--config", config];
  const query = (binding: string, sql: string) => {
    const out = wrangler(["d1", "execute", binding, ...target, "--json", "--command", sql]);
    return JSON.parse(out.slice(out.indexOf("["))).map((r: { results: unknown[] }) => r.results) as Array<
      Array<Record<string, unknown>>
    >;
  };
  const execute = (binding: string, statements: string[]) => {
    const file = join(state, `seed-${Date.now()}.sql`);
    writeFileSync(file, statements.join("\n"));
    wrangler(["d1", "execute", binding, ...target, "--file", file]);
  };
  return {
    state,
    config,
    configName,
    toolArgs: ["--local", "--persist-to", state, "--config", configName],
    migrate: (binding: string) => wrangler(["d1", "migrations", "apply", binding, ...target]),
    query,
    execute,
    remove: () => {
      rmSync(state, { recursive: true, force: true });
      rmSync(config, { force: true });
    },
  };
}
