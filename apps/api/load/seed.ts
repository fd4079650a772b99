// What the load suite's database holds before the traffic starts: the bench centre (from the harness), a
// partner running two services with a webhook secret, referrals sent to it, three staff accounts and a
// year of day partials (the roll-up job's output) for the reports to read.
import { createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { aggregateVisitsByDay, PASSWORD_HASH, serializeVisitAggregate, type Visit } from "@halte/core";
import { mulberry32 } from "../../../packages/core/bench/workload.js";
import { BENCH_CENTRE_ID as centreId } from "../bench/harness.js";
import { sealWebhookSecret } from "../src/routes/webhooks/secret-store.js";

export { centreId };
export const partnerId = "load-partner";
/** A service the door records uses of (showers). */
export const showerServiceId = "load-shower";
/** The partner's consultations: its webhooks report uses and capacity of this one. */
export const consultServiceId = "load-consult";
export const PASSWORD = "load suite password";
export const accounts = {
  reception: "reception@load.test",
  observer: "observer@load.test",
  coordinator: "coordinator@load.test",
} as const;
/** Referrals in `requested`, sent to the partner: its webhooks accept them (then repeat the news). */
export const REFERRALS = 40;
export const referralId = (n: number) => `load-referral-${n % REFERRALS}`;
/** Past days of visits behind the reports (three years: the longest range a report may ask for). */
export const PAST_DAYS = 1100;

const SCHEDULE = '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}';
const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

function userSql(id: string, email: string, role: string, at: string) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(
    PASSWORD,
    salt,
    PASSWORD_HASH.iterations,
    PASSWORD_HASH.keyBits / 8,
    "sha256",
  ).toString("base64");
  return `INSERT INTO users (id, email, name, role, centre_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES (${quote(id)}, ${quote(email)}, 'Load', ${quote(role)}, '${centreId}', '${hash}', '${salt.toString("base64")}', ${PASSWORD_HASH.iterations}, '${at}', '${at}');`;
}

function weighted<T>(random: () => number, choices: [T, number][]): T {
  let r = random();
  for (const [value, weight] of choices) {
    r -= weight;
    if (r < 0) return value;
  }
  return (choices[choices.length - 1] as [T, number])[0];
}

/**
 * One day of made-up visits (30–60, arriving at 10:00 UTC, the same local day in Paris), mostly adults,
 * mostly men, a pool of 300 regular cards, as a drop-in centre sees them.
 */
function dayOfVisits(random: () => number, arrivedAt: string, day: number): Visit[] {
  const count = 30 + Math.floor(random() * 31);
  return Array.from({ length: count }, (_, v) => {
    const card = random() < 0.7 ? Math.floor(random() * 300) : null;
    return {
      id: `load-past-${day}-${v}`,
      createdAt: arrivedAt,
      updatedAt: arrivedAt,
      centreId,
      arrivedAt,
      // In the shape of a keyed hash (64 hex): the reports count distinct ones.
      visitorCodeHash: card === null ? null : createHash("sha256").update(`load-card-${card}`).digest("hex"),
      ageBand: weighted(random, [
        ["18-59", 0.7],
        ["60+", 0.12],
        ["12-17", 0.05],
        [null, 0.13],
      ]),
      gender: weighted(random, [
        ["male", 0.65],
        ["female", 0.25],
        ["other", 0.02],
        [null, 0.08],
      ]),
      languages: [
        weighted(random, [
          ["fr", 0.5],
          ["ar", 0.2],
          ["en", 0.15],
          ["ps", 0.15],
        ]),
      ],
      firstVisit: random() < 0.1 ? true : null,
      idempotencyKey: null,
    };
  });
}

/**
 * The day partials of `PAST_DAYS` days of visits ending yesterday, as the roll-up job stores them (the same
 * `@halte/core` functions make them). Reports read only these, never raw visits.
 *
 * About one day in a hundred has an age × gender table that small-cell suppression cannot protect cell by
 * cell; reports hide such a table whole (core's `discloseVisitPeriod`), and the load reads them like any other.
 */
function pastRollupsSql(at: string): string[] {
  const random = mulberry32(20261129);
  const today = Date.parse(`${at.slice(0, 10)}T10:00:00.000Z`);
  const rows: string[] = [];
  for (let d = PAST_DAYS; d >= 1; d--) {
    const arrivedAt = new Date(today - d * 86_400_000).toISOString();
    const localDay = arrivedAt.slice(0, 10);
    const partial = aggregateVisitsByDay(dayOfVisits(random, arrivedAt, d), [], {
      timeZone: "Europe/Paris",
    })[centreId]?.[localDay];
    if (!partial) throw new Error(`no partial for ${localDay}`);
    rows.push(`('${centreId}', '${localDay}', ${quote(serializeVisitAggregate(partial))})`);
  }
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += 20) {
    statements.push(
      `INSERT INTO visit_rollups (centre_id, local_day, aggregate) VALUES ${rows.slice(i, i + 20).join(", ")};`,
    );
  }
  return statements;
}

/**
 * The seed's SQL (after the harness's centre), as one file's text. `webhookSecret` is the partner's
 * `whsec_…` secret, sealed here with `secretsKey` the way the Worker stores it; `at` stamps the records.
 */
export async function seedSql(options: { at: string; secretsKey: string; webhookSecret: string }) {
  const { at } = options;
  const ciphertext = await sealWebhookSecret(
    options.secretsKey,
    "load-secret",
    partnerId,
    options.webhookSecret,
  );
  const referrals = Array.from(
    { length: REFERRALS },
    (_, n) =>
      `INSERT INTO referrals (id, created_at, updated_at, centre_id, partner_id, service_id, need, status, languages, requested_at, version) VALUES ('${referralId(n)}', '${at}', '${at}', '${centreId}', '${partnerId}', '${consultServiceId}', 'health', 'requested', '[]', '${at}', 1);`,
  );
  return [
    `INSERT INTO partners (id, centre_id, name, roles, created_at, updated_at) VALUES ('${partnerId}', '${centreId}', 'Load partner', '["service_provider"]', '${at}', '${at}');`,
    ...[
      [showerServiceId, "Douches", "hygiene"],
      [consultServiceId, "Consultations", "health"],
    ].map(
      ([id, name, category]) =>
        `INSERT INTO services (id, centre_id, organization_id, name, category, status, languages, schedule, translations, created_at, updated_at) VALUES ('${id}', '${centreId}', '${partnerId}', '${name}', '${category}', 'active', '[]', '${SCHEDULE}', '{}', '${at}', '${at}');`,
    ),
    `INSERT INTO webhook_secrets (id, centre_id, partner_id, ciphertext, created_at) VALUES ('load-secret', '${centreId}', '${partnerId}', '${ciphertext}', '${at}');`,
    userSql("load-reception", accounts.reception, "reception", at),
    userSql("load-observer", accounts.observer, "observer", at),
    userSql("load-coordinator", accounts.coordinator, "coordinator", at),
    ...referrals,
    ...pastRollupsSql(at),
  ].join("\n");
}
