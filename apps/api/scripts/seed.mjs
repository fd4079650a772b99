#!/usr/bin/env node
// Seeds the local D1 with the demo centre and one year of synthetic activity. Deterministic (fixed seed,
// fixed ids) and safe to re-run: every row is INSERT OR IGNORE on a fixed id, so a second run adds nothing.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CentreInput,
  derivePasswordHash,
  deriveVisitorCodeKey,
  EventInput,
  hashVisitorCode,
  importVisitorCodeKey,
  LessonInput,
  localDateOf,
  PartnerInput,
  ServiceInput,
  zonedToInstant,
} from "@halte/core";
import { CENTRE_ID, centre, events, lessons, partners, services, TIME_ZONE, users } from "./seed-data.mjs";
import { seedDoorLanguages } from "./seed-door-languages.mjs";
import { apiDir, wrangler } from "./wrangler.mjs";

const FIRST_DAY = "2025-12-01";
const DAYS = 365;
const SEEDED_AT = "2025-11-30T12:00:00.000Z";

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20191531);
const pick = (weighted) => {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1][0];
};

function sql(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/** Multi-row INSERT OR IGNORE statements of at most `perStatement` rows. */
function inserts(table, columns, rows, perStatement = 150) {
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows
      .slice(i, i + perStatement)
      .map((row) => `(${columns.map((c) => sql(row[c])).join(",")})`);
    statements.push(`INSERT OR IGNORE INTO ${table} (${columns.join(",")}) VALUES\n${values.join(",\n")};`);
  }
  return statements;
}

function readSecret() {
  const file = join(apiDir, ".dev.vars");
  const match = existsSync(file) ? /^VISITOR_CODE_SECRET=(.+)$/m.exec(readFileSync(file, "utf8")) : null;
  if (!match) throw new Error("apps/api/.dev.vars has no VISITOR_CODE_SECRET: run scripts/demo.mjs");
  return match[1].trim();
}

function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---- reference data, validated through @halte/core's own schemas ------------------------------------
const centreRow = { id: CENTRE_ID, ...CentreInput.parse(centre), createdAt: SEEDED_AT, updatedAt: SEEDED_AT };
const partnerRows = partners.map(({ id, ...p }) => ({
  id,
  centreId: CENTRE_ID,
  ...PartnerInput.parse(p),
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
}));
const serviceRows = services.map(({ id, ...s }) => ({
  id,
  centreId: CENTRE_ID,
  ...ServiceInput.parse(s),
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
}));
const eventRows = events.map(({ id, ...e }) => ({
  id,
  ...EventInput.parse({ centreId: CENTRE_ID, ...e }),
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
}));
const lessonRows = lessons.map(({ id, status, ...l }) => ({
  id,
  status,
  ...LessonInput.parse({ centreId: CENTRE_ID, ...l }),
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
}));
const userRows = [];
for (const u of users) {
  // The Worker's recipe (core's derivePasswordHash), under a salt fixed per demo user so re-runs agree.
  const salt = createHash("sha256").update(`demo-salt:${u.id}`).digest().subarray(0, 16);
  const hash = await derivePasswordHash(u.password, salt);
  userRows.push({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    centreId: u.centreId,
    partnerId: u.partnerId ?? null,
    passwordHash: hash.hash,
    passwordSalt: hash.salt,
    passwordIterations: hash.iterations,
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
  });
}

// ---- one year of visits and service uses ---------------------------------------------------------------
const surge = new Map([
  ...["2026-01-20", "2026-01-21", "2026-01-22"].map((d) => [d, 2.1]),
  ...Array.from({ length: 7 }, (_, i) => [addDays("2026-02-09", i), 1.35]),
  ...Array.from({ length: 7 }, (_, i) => [addDays("2026-09-07", i), 1.6]),
]);
const closedDays = new Set(["2026-05-01"]);
const ages = [
  ["0-4", 1],
  ["5-11", 1],
  ["12-17", 5],
  ["18-59", 80],
  ["60+", 2],
  [null, 11],
];
const genders = [
  ["male", 84],
  ["female", 9],
  ["other", 1],
  [null, 6],
];
const languageMix = [
  ["prs", 30],
  ["ps", 22],
  ["ar", 14],
  ["ti", 10],
  ["fr", 6],
  ["en", 6],
  ["so", 5],
  ["am", 3],
  [null, 4],
];
const hourWeights = [
  [8, 16],
  [9, 18],
  [10, 15],
  [11, 12],
  [12, 9],
  [13, 8],
  [14, 7],
  [15, 6],
  [16, 5],
  [17, 3],
  [18, 1],
];
const useMix = [
  ["demo-service-toilets", 30],
  ["demo-service-cafe", 30],
  ["demo-service-showers", 20],
  ["demo-service-rest", 8],
  ["demo-service-social", 4],
  ["demo-service-asylum", 4],
  ["demo-service-health", 2],
  ["demo-service-clothing", 2],
];

// The centre's key as the Worker derives it (core's deriveVisitorCodeKey), so seeded cards hash as the door's.
const centreKey = await importVisitorCodeKey(await deriveVisitorCodeKey(readSecret(), CENTRE_ID));
const cardPool = Array.from({ length: 2400 }, (_, i) => `HJ-${String(i + 1).padStart(5, "0")}`);
const cardHash = new Map(
  await Promise.all(cardPool.map(async (card) => [card, await hashVisitorCode(card, centreKey)])),
);
const hashCard = (card) => cardHash.get(card);
const seenCards = new Set();

const monthly = new Map();
let visitNo = 0;
let useNo = 0;
for (let d = 0; d < DAYS; d++) {
  const day = addDays(FIRST_DAY, d);
  if (closedDays.has(day)) continue;
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  const base = weekday === 0 || weekday === 6 ? 120 : 175;
  const count = Math.round(base * (surge.get(day) ?? 1) * (0.85 + random() * 0.3));
  const month = day.slice(0, 7);
  if (!monthly.has(month)) monthly.set(month, { visits: [], uses: [] });
  const bucket = monthly.get(month);
  for (let i = 0; i < count; i++) {
    const hour = pick(hourWeights);
    const minute = Math.floor(random() * 60);
    const arrivedAt = zonedToInstant(
      {
        year: +day.slice(0, 4),
        month: +day.slice(5, 7),
        day: +day.slice(8, 10),
        hour,
        minute,
        second: 0,
        millisecond: 0,
      },
      TIME_ZONE,
    ).toISOString();
    const withCard = random() < 0.55;
    const card = withCard ? cardPool[Math.floor(random() ** 1.6 * cardPool.length)] : null;
    const first = card ? !seenCards.has(card) : random() < 0.12 ? true : null;
    if (card) seenCards.add(card);
    const language = pick(languageMix);
    const id = `demo-v-${String(++visitNo).padStart(6, "0")}`;
    bucket.visits.push({
      id,
      centre_id: CENTRE_ID,
      arrived_at: arrivedAt,
      local_day: localDateOf(arrivedAt, TIME_ZONE),
      visitor_code_hash: card ? hashCard(card) : null,
      age_band: pick(ages),
      gender: pick(genders),
      languages: language ? [language] : [],
      first_visit: first,
      idempotency_key: `demo:${id}`,
      recorded_by: "demo-user-accueil",
      created_at: arrivedAt,
      updated_at: arrivedAt,
    });
    const uses = 1 + Math.floor(random() * 2.2);
    const chosen = new Set(Array.from({ length: uses }, () => pick(useMix)));
    for (const serviceId of chosen) {
      const usedAt = new Date(
        Date.parse(arrivedAt) + (10 + Math.floor(random() * 90)) * 60_000,
      ).toISOString();
      bucket.uses.push({
        id: `demo-u-${String(++useNo).padStart(7, "0")}`,
        centre_id: CENTRE_ID,
        service_id: serviceId,
        visit_id: id,
        used_at: usedAt,
        local_day: localDateOf(usedAt, TIME_ZONE),
        quantity: 1,
        source: "door",
        partner_id: null,
        idempotency_key: null,
        created_at: usedAt,
        updated_at: usedAt,
      });
    }
  }
  // Samu social reports its consultations in bulk on consultation days.
  if ([2, 4, 6].includes(weekday)) {
    const usedAt = zonedToInstant(
      {
        year: +day.slice(0, 4),
        month: +day.slice(5, 7),
        day: +day.slice(8, 10),
        hour: 13,
        minute: 0,
        second: 0,
        millisecond: 0,
      },
      TIME_ZONE,
    ).toISOString();
    bucket.uses.push({
      id: `demo-u-${String(++useNo).padStart(7, "0")}`,
      centre_id: CENTRE_ID,
      service_id: "demo-service-health",
      visit_id: null,
      used_at: usedAt,
      local_day: day,
      quantity: 8 + Math.floor(random() * 9),
      source: "partner_report",
      partner_id: "demo-partner-samu-social",
      idempotency_key: `demo:report:${day}`,
      created_at: usedAt,
      updated_at: usedAt,
    });
  }
}

// ---- referrals in every status, with their history -------------------------------------------------
const needs = ["accommodation", "asylum_procedure", "health", "legal", "food", "social_rights", "addiction"];
const destinations = {
  accommodation: "demo-partner-samu-social",
  asylum_procedure: "demo-partner-ftda",
  health: "demo-partner-samu-social",
  legal: "demo-partner-ftda",
  food: "demo-partner-acf",
  social_rights: "demo-partner-aurore",
  addiction: "demo-partner-aurore",
};
const paths = [
  ["draft"],
  ["requested"],
  ["requested", "accepted"],
  ["requested", "rejected"],
  ["requested", "accepted", "in-progress"],
  ["requested", "accepted", "on-hold"],
  ["requested", "accepted", "in-progress", "completed"],
  ["requested", "accepted", "failed"],
  ["requested", "cancelled"],
  ["draft", "entered-in-error"],
];
const finals = new Set(["rejected", "completed", "failed", "cancelled", "entered-in-error"]);
const partnerMoves = new Set(["accepted", "rejected", "in-progress", "completed", "failed"]);
const referralRows = [];
const historyRows = [];
const consentRows = [];
for (let n = 0; n < 80; n++) {
  const path = paths[n % paths.length];
  const need = needs[n % needs.length];
  const day = addDays(FIRST_DAY, 7 + Math.floor((n * 355) / 80));
  let at = Date.parse(
    zonedToInstant(
      {
        year: +day.slice(0, 4),
        month: +day.slice(5, 7),
        day: +day.slice(8, 10),
        hour: 10,
        minute: n % 60,
        second: 0,
        millisecond: 0,
      },
      TIME_ZONE,
    ).toISOString(),
  );
  const id = `demo-r-${String(n + 1).padStart(4, "0")}`;
  const createdAt = new Date(at).toISOString();
  const sent = path[0] !== "draft" || (path.length > 1 && path[1] !== "entered-in-error");
  const withContact = sent && n % 3 === 0;
  const consentId = sent ? `demo-c-${String(n + 1).padStart(4, "0")}` : null;
  if (consentId) {
    consentRows.push({
      id: consentId,
      centre_id: CENTRE_ID,
      referral_id: id,
      given_at: createdAt,
      method: "verbal",
      scopes: withContact ? ["store_contact", "share_with_partner"] : ["share_with_partner"],
      language: "prs",
      withdrawn_at: null,
      created_at: createdAt,
      updated_at: createdAt,
    });
  }
  let status = "draft";
  let requestedAt = null;
  let closedAt = null;
  let reason = null;
  let version = 0;
  for (const next of path) {
    if (next === "draft") continue;
    at += (next === "requested" ? 5 : 60 * (4 + Math.floor(random() * 40))) * 60_000;
    const when = new Date(at).toISOString();
    reason =
      next === "rejected"
        ? pick([
            ["at_capacity", 6],
            ["not_eligible", 2],
            ["unreachable", 1],
          ])
        : next === "failed"
          ? pick([
              ["no_show", 3],
              ["unreachable", 2],
            ])
          : null;
    historyRows.push({
      referral_id: id,
      from_status: status,
      to_status: next,
      actor: partnerMoves.has(next) ? "partner" : "centre",
      actor_id: null,
      reason,
      note: null,
      at: when,
    });
    if (next === "requested") requestedAt = when;
    if (finals.has(next)) closedAt = when;
    status = next;
    version++;
  }
  referralRows.push({
    id,
    centre_id: CENTRE_ID,
    partner_id: destinations[need],
    service_id: null,
    need,
    note: null,
    status,
    status_reason: reason,
    status_note: null,
    partner_reference: status === "draft" ? null : `EXT-${1000 + n}`,
    contact: withContact
      ? {
          name: `Personne démo ${n + 1}`,
          phone: `+33 6 00 00 ${String(n).padStart(2, "0")} 00`,
          preferredLanguage: "prs",
        }
      : null,
    consent_id: consentId,
    age_band: "18-59",
    gender: n % 5 === 0 ? "female" : "male",
    languages: ["prs"],
    requested_at: requestedAt,
    closed_at: closedAt,
    version,
    created_at: createdAt,
    updated_at: new Date(at).toISOString(),
  });
}

// ---- statements ------------------------------------------------------------------------------------------
const snake = (rows) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
    ),
  );
const columns = (rows) => Object.keys(rows[0]);
const head = [];
const add = (table, rows) => head.push(...inserts(table, columns(rows), rows));
const centreSnake = snake([{ ...centreRow, timeZone: TIME_ZONE, archivedAt: null }]);
add("centres", centreSnake);
add(
  "partners",
  snake(
    partnerRows.map((p) => ({
      description: null,
      website: null,
      email: null,
      phone: null,
      ...p,
      archivedAt: null,
    })),
  ),
);
add(
  "services",
  snake(serviceRows.map((s) => ({ description: null, location: null, ...s, archivedAt: null }))),
);
add("users", snake(userRows));
add(
  "events",
  snake(
    eventRows.map((e) => ({ description: null, ...e, endsOn: e.endsOn ?? e.startsOn, archivedAt: null })),
  ),
);
add("lessons", snake(lessonRows.map((l) => ({ ...l, archivedAt: null }))));

const tail = [
  ...inserts("consents", columns(consentRows), consentRows),
  ...inserts("referrals", columns(referralRows), referralRows),
];
// History has an autoincrement id: insert it once, when the referrals are new.
tail.push(`INSERT INTO referral_history (referral_id, from_status, to_status, actor, actor_id, reason, note, at)
SELECT h.* FROM (VALUES ${historyRows.map((h) => `(${[h.referral_id, h.from_status, h.to_status, h.actor, h.actor_id, h.reason, h.note, h.at].map(sql).join(",")})`).join(",\n")}) AS h
WHERE NOT EXISTS (SELECT 1 FROM referral_history WHERE referral_id LIKE 'demo-r-%');`);

// ---- apply ----------------------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), "halte-seed-"));
const apply = (label, statements) => {
  const file = join(work, `${label.replace(/\W+/g, "-")}.sql`);
  writeFileSync(file, statements.join("\n"));
  wrangler(["d1", "execute", "DB", "--local", "--file", file]);
};
const started = Date.now();
try {
  apply("reference", head);
  process.stdout.write(
    `  centre, ${partnerRows.length} partners, ${serviceRows.length} services, ${userRows.length} users, ${eventRows.length} events, ${lessonRows.length} lessons\n`,
  );
  let visits = 0;
  let uses = 0;
  // Three months per wrangler call: each call costs ~3 s of start-up, the inserts themselves far less.
  const months = [...monthly.entries()];
  for (let i = 0; i < months.length; i += 3) {
    const group = months.slice(i, i + 3);
    const statements = group.flatMap(([, bucket]) => [
      ...inserts("visits", columns(bucket.visits), bucket.visits),
      ...inserts("service_uses", columns(bucket.uses), bucket.uses),
    ]);
    apply(`months-${group[0][0]}`, statements);
    for (const [month, bucket] of group) {
      visits += bucket.visits.length;
      uses += bucket.uses.length;
      process.stdout.write(
        `  ${month}: ${bucket.visits.length} visits, ${bucket.uses.length} service uses\n`,
      );
    }
  }
  apply("referrals", tail);
  process.stdout.write(
    `  ${referralRows.length} referrals in every status, ${historyRows.length} status changes\n`,
  );
  process.stdout.write(
    `Seeded ${visits} visits and ${uses} service uses in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

seedDoorLanguages();

// ---- a partner token for Samu social, shown once ----------------------------------------------------
const tokenFile = join(apiDir, ".demo-token");
const token = existsSync(tokenFile)
  ? readFileSync(tokenFile, "utf8").trim()
  : `halte_pt_${randomBytes(32).toString("base64url")}`;
const tokenHash = createHash("sha256").update(token).digest("hex");
wrangler([
  "d1",
  "execute",
  "DB",
  "--local",
  "--command",
  `INSERT OR REPLACE INTO api_tokens (id, token_hash, centre_id, partner_id, name, created_at) VALUES ('demo-token-samu', ${sql(tokenHash)}, ${sql(CENTRE_ID)}, 'demo-partner-samu-social', 'Demo token (Samu social)', ${sql(SEEDED_AT)});`,
]);
writeFileSync(tokenFile, `${token}\n`);
process.stdout.write(`Partner API token for Samu social (also in apps/api/.demo-token): ${token}\n`);
