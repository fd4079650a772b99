// One year of the demo centre's arrivals and service uses, month by month: busy weekdays, quieter weekends,
// three surges, a closed day, the language mix of the people the centre sees, and Samu social's bulk reports.
import {
  deriveVisitorCodeKey,
  hashVisitorCode,
  importVisitorCodeKey,
  localDateOf,
  zonedDateTime,
  zonedToInstant,
} from "@halte/core";
import { CENTRE_ID, TIME_ZONE } from "./seed-data.mjs";
import { addDays, pick, random } from "./seed-sql.mjs";

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

/**
 * Rows of `visits` and `service_uses` (snake_case, as the tables take them) for `days` days from `firstDay`,
 * grouped by month. Visitor cards hash with the centre key the Worker derives from `secret`.
 */
export async function generateActivity({ firstDay, days, secret }) {
  // The centre's key as the Worker derives it (core's deriveVisitorCodeKey), so seeded cards hash as the door's.
  const centreKey = await importVisitorCodeKey(await deriveVisitorCodeKey(secret, CENTRE_ID));
  const cardPool = Array.from({ length: 2400 }, (_, i) => `HJ-${String(i + 1).padStart(5, "0")}`);
  const cardHash = new Map(
    await Promise.all(cardPool.map(async (card) => [card, await hashVisitorCode(card, centreKey)])),
  );
  const hashCard = (card) => cardHash.get(card);
  const seenCards = new Set();

  const monthly = new Map();
  let visitNo = 0;
  let useNo = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays(firstDay, d);
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
        local_hour: zonedDateTime(arrivedAt, TIME_ZONE).hour,
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
  return monthly;
}
