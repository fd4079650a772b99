// The demo's second centre: a smaller, fictional day centre in Montreuil (Seine-Saint-Denis), labelled as a
// demo so it is never taken for a real organisation. Its own services, operator, coordinator and a year of
// arrivals at about a fifth of La Halte de Jour's pace, so the reports across centres have two to merge.
// Deterministic (its own random stream, fixed ids) and safe to re-run (INSERT OR IGNORE), like seed.mjs.
// It lives in its own local database (docs/development.md, "The demo's two databases"): La Halte de Jour's
// rows stay in the directory (`DB`), so the demo is a mixed install, as a real one is between two moves.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CentreInput,
  derivePasswordHash,
  deriveVisitorCodeKey,
  hashVisitorCode,
  importVisitorCodeKey,
  localDateOf,
  PartnerInput,
  ServiceInput,
  zonedDateTime,
  zonedToInstant,
} from "@halte/core";
import { SECOND_CENTRE_BINDING, SECOND_CENTRE_SLUG, writeDemoConfig } from "./demo-config.mjs";
import { addDays, inserts, mulberry32 } from "./seed-sql.mjs";
import { DELETE_ORDER, deletePageSql } from "./split-plan.mjs";
import { wrangler } from "./wrangler.mjs";

export const SECOND_CENTRE_ID = "demo-centre-montreuil";
const TIME_ZONE = "Europe/Paris";
const random = mulberry32(93100);
const pick = (weighted) => {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1][0];
};

const weekly = (days, opensAt, closesAt, capacity) =>
  days.map((weekday) => ({ weekday, opensAt, closesAt, ...(capacity ? { capacity } : {}) }));
const exceptions = [{ date: "2026-05-01", kind: "closed", reason: "1 May: closed" }];
const schedule = (slots, extra = {}) => ({ timeZone: TIME_ZONE, weekly: slots, exceptions, ...extra });

export const secondCentre = {
  name: "Le Relais des Murs-à-Pêches (démo)",
  slug: SECOND_CENTRE_SLUG,
  address: "Adresse fictive de démonstration, 93100 Montreuil",
  // Monday to Friday 9:00–17:00, Saturday mornings; closed on Sundays.
  openingHours: schedule([...weekly([1, 2, 3, 4, 5], "09:00", "17:00"), ...weekly([6], "09:00", "13:00")]),
  dailyCapacity: 40,
  disclosureThreshold: 5,
  retentionMonths: 24,
  languages: ["fr", "en", "ar", "ti"],
};

const OPERATOR = "demo-partner-relais-operator";
const partners = [
  {
    id: OPERATOR,
    name: "Association du Relais (démo)",
    roles: ["operator", "service_provider"],
    description: "Opérateur fictif du centre de démonstration de Montreuil.",
  },
];

const services = [
  {
    id: "demo-m-service-showers",
    name: "Douches",
    category: "hygiene",
    languages: ["fr", "en"],
    schedule: schedule(weekly([1, 2, 3, 4, 5], "09:00", "16:30"), { dailyCapacity: 30 }),
    translations: { en: { name: "Showers" }, ar: { name: "استحمام" } },
  },
  {
    id: "demo-m-service-breakfast",
    name: "Petit-déjeuner",
    category: "food",
    languages: ["fr"],
    schedule: schedule(weekly([1, 2, 3, 4, 5, 6], "09:00", "11:00"), { dailyCapacity: 60 }),
    translations: { en: { name: "Breakfast" } },
  },
  {
    id: "demo-m-service-mail",
    name: "Domiciliation et courrier",
    category: "administrative",
    description: "Adresse postale et retrait du courrier.",
    languages: ["fr", "en", "ar"],
    schedule: schedule(weekly([1, 3, 5], "10:00", "12:30", 20)),
    translations: { en: { name: "Postal address and mail" } },
  },
  {
    id: "demo-m-service-laundry",
    name: "Laverie",
    category: "hygiene",
    languages: ["fr"],
    schedule: schedule(weekly([2, 4], "13:00", "16:30", 12)),
    translations: { en: { name: "Laundry" } },
  },
];

export const secondCentreUsers = [
  {
    id: "demo-user-coordination-montreuil",
    email: "coordination.montreuil@halte.demo",
    name: "Coordination Montreuil",
    role: "coordinator",
    password: "demo-coordination-montreuil",
  },
];

const ages = [
  ["5-11", 2],
  ["12-17", 4],
  ["18-59", 78],
  ["60+", 6],
  [null, 10],
];
const genders = [
  ["male", 70],
  ["female", 24],
  ["other", 1],
  [null, 5],
];
const languages = [
  ["ti", 26],
  ["ar", 22],
  ["fr", 16],
  ["en", 12],
  ["so", 8],
  ["prs", 6],
  [null, 10],
];
const useMix = [
  ["demo-m-service-breakfast", 40],
  ["demo-m-service-showers", 30],
  ["demo-m-service-mail", 18],
  ["demo-m-service-laundry", 12],
];

function instantOf(day, hour, minute) {
  const [year, month, date] = day.split("-").map(Number);
  return zonedToInstant({ year, month, day: date, hour, minute, second: 0, millisecond: 0 }, TIME_ZONE);
}

/** The centre's visits and door service uses for `days` days from `firstDay`, as table rows. */
async function generateActivity({ firstDay, days, secret }) {
  const key = await importVisitorCodeKey(await deriveVisitorCodeKey(secret, SECOND_CENTRE_ID));
  const cards = Array.from({ length: 500 }, (_, i) => `RM-${String(i + 1).padStart(4, "0")}`);
  const hashes = await Promise.all(cards.map((card) => hashVisitorCode(card, key)));
  const seen = new Set();
  const visits = [];
  const uses = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(firstDay, d);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || day === "2026-05-01") continue;
    const saturday = weekday === 6;
    const count = Math.round((saturday ? 18 : 34) * (0.8 + random() * 0.4));
    for (let i = 0; i < count; i++) {
      const hour = saturday ? 9 + Math.floor(random() * 4) : 9 + Math.floor(random() ** 1.4 * 8);
      const arrivedAt = instantOf(day, hour, Math.floor(random() * 60)).toISOString();
      const cardIndex = random() < 0.6 ? Math.floor(random() ** 1.5 * cards.length) : null;
      const first = cardIndex === null ? null : !seen.has(cardIndex);
      if (cardIndex !== null) seen.add(cardIndex);
      const language = pick(languages);
      const id = `demo-m-v-${String(visits.length + 1).padStart(6, "0")}`;
      visits.push({
        id,
        centre_id: SECOND_CENTRE_ID,
        arrived_at: arrivedAt,
        local_day: localDateOf(arrivedAt, TIME_ZONE),
        local_hour: zonedDateTime(arrivedAt, TIME_ZONE).hour,
        visitor_code_hash: cardIndex === null ? null : hashes[cardIndex],
        age_band: pick(ages),
        gender: pick(genders),
        languages: language ? [language] : [],
        first_visit: first,
        idempotency_key: `demo:${id}`,
        recorded_by: null,
        created_at: arrivedAt,
        updated_at: arrivedAt,
      });
      const chosen = new Set(Array.from({ length: 1 + Math.floor(random() * 1.8) }, () => pick(useMix)));
      for (const serviceId of chosen) {
        const usedAt = new Date(
          Date.parse(arrivedAt) + (5 + Math.floor(random() * 60)) * 60_000,
        ).toISOString();
        uses.push({
          id: `demo-m-u-${String(uses.length + 1).padStart(7, "0")}`,
          centre_id: SECOND_CENTRE_ID,
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
  }
  return { visits, uses };
}

const snake = (row) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
const rowsOf = (table, rows) => inserts(table, Object.keys(rows[0]), rows);

/**
 * A demo state made before the second centre had its own database holds its rows in the directory: they
 * leave it (children first, in one call), the seed having just written them into the centre's database.
 * Nothing is deleted on a state made since (the directory has none of its rows). The audit log is kept: the
 * directory rightly holds the audit rows of directory writes about the centre (its row, its users).
 */
function dropFromDirectory() {
  return DELETE_ORDER.filter((table) => table !== "audit_log").map((table) =>
    deletePageSql(table, SECOND_CENTRE_ID, 1_000_000_000),
  );
}

/**
 * Seeds the second demo centre into the local D1, in its own database (`CENTRE_RELAIS_MONTREUIL_DEMO` of the
 * demo config, scripts/demo-config.mjs, migrated by demo.mjs): first there the copy of its centre row and
 * its operator's, its services and a year of visits and service uses from `firstDay`; then in the directory
 * its row naming that database, its operator and its coordinator — the directory row last, as
 * `centre:add` does. Its day partials are built by the demo like the first centre's (scripts/demo.mjs
 * rebuilds both through the Worker, which writes them into the centre's database).
 */
export async function seedSecondCentre({ firstDay, days, secret, seededAt }) {
  const stamp = { createdAt: seededAt, updatedAt: seededAt };
  const centreRow = snake({
    id: SECOND_CENTRE_ID,
    ...CentreInput.parse(secondCentre),
    timeZone: TIME_ZONE,
    ...stamp,
    archivedAt: null,
    d1Binding: SECOND_CENTRE_BINDING,
  });
  const partnerRows = partners.map(({ id, ...p }) =>
    snake({
      website: null,
      email: null,
      phone: null,
      id,
      centreId: SECOND_CENTRE_ID,
      ...PartnerInput.parse(p),
      ...stamp,
      archivedAt: null,
    }),
  );
  const serviceRows = services.map(({ id, ...s }) =>
    snake({
      description: null,
      location: null,
      id,
      centreId: SECOND_CENTRE_ID,
      ...ServiceInput.parse({ organizationId: OPERATOR, ...s }),
      ...stamp,
      archivedAt: null,
    }),
  );
  const userRows = [];
  for (const u of secondCentreUsers) {
    const salt = createHash("sha256").update(`demo-salt:${u.id}`).digest().subarray(0, 16);
    const hash = await derivePasswordHash(u.password, salt);
    userRows.push(
      snake({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        centreId: SECOND_CENTRE_ID,
        partnerId: null,
        passwordHash: hash.hash,
        passwordSalt: hash.salt,
        passwordIterations: hash.iterations,
        ...stamp,
      }),
    );
  }
  const { visits, uses } = await generateActivity({ firstDay, days, secret });
  const config = writeDemoConfig();
  // A row seeded before the centre had its own database names `DB`: it now names the centre's.
  const namesBinding = `UPDATE centres SET d1_binding = '${SECOND_CENTRE_BINDING}' WHERE id = '${SECOND_CENTRE_ID}';`;
  const work = mkdtempSync(join(tmpdir(), "halte-seed-second-"));
  const run = (binding, label, statements) => {
    const file = join(work, `${label}.sql`);
    writeFileSync(file, statements.join("\n"));
    wrangler(["d1", "execute", binding, "--local", "--config", config, "--file", file]);
  };
  try {
    run(SECOND_CENTRE_BINDING, "centre", [
      ...rowsOf("centres", [centreRow]),
      namesBinding,
      ...rowsOf("partners", partnerRows),
      ...rowsOf("services", serviceRows),
      ...rowsOf("visits", visits),
      ...rowsOf("service_uses", uses),
    ]);
    run("DB", "directory", [
      ...dropFromDirectory(),
      ...rowsOf("centres", [centreRow]),
      namesBinding,
      ...rowsOf("partners", partnerRows),
      ...rowsOf("users", userRows),
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(
    `  second centre (${secondCentre.name}), in its own database ${SECOND_CENTRE_BINDING}: ${services.length} services, ${visits.length} visits, ${uses.length} service uses\n`,
  );
}
