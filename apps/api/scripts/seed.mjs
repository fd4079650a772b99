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
  EventInput,
  LessonInput,
  PartnerInput,
  ServiceInput,
} from "@halte/core";
import { generateActivity } from "./seed-activity.mjs";
import { CENTRE_ID, centre, events, lessons, partners, services, TIME_ZONE, users } from "./seed-data.mjs";
import { seedDoorLanguages } from "./seed-door-languages.mjs";
import { participationStatements } from "./seed-participation.mjs";
import { generateReferrals } from "./seed-referrals.mjs";
import { seedSecondCentre } from "./seed-second-centre.mjs";
import { inserts, sql } from "./seed-sql.mjs";
import { seedTickets } from "./seed-tickets.mjs";
import { seedServiceTranslations } from "./seed-translations.mjs";
import { apiDir, wrangler } from "./wrangler.mjs";

const FIRST_DAY = "2025-12-01";
const DAYS = 365;
const SEEDED_AT = "2025-11-30T12:00:00.000Z";

function readSecret() {
  const file = join(apiDir, ".dev.vars");
  const match = existsSync(file) ? /^VISITOR_CODE_SECRET=(.+)$/m.exec(readFileSync(file, "utf8")) : null;
  if (!match) throw new Error("apps/api/.dev.vars has no VISITOR_CODE_SECRET: run scripts/demo.mjs");
  return match[1].trim();
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

// ---- one year of visits and service uses, then referrals (in this order: they share one random stream) --
const monthly = await generateActivity({ firstDay: FIRST_DAY, days: DAYS, secret: readSecret() });
const { referralRows, historyRows, consentRows } = generateReferrals({ firstDay: FIRST_DAY });

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
head.push(...participationStatements(CENTRE_ID, SEEDED_AT));

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

await seedServiceTranslations();
seedDoorLanguages();
await seedSecondCentre({ firstDay: FIRST_DAY, days: DAYS, secret: readSecret(), seededAt: SEEDED_AT });
seedTickets();

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
