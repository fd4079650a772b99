// Reports across centres read stored figures for past months, quarters and years (merged by the nightly
// per-centre job, without visitor codes) and each centre's own months and day partials for the rest, inside workerd with the real local D1 and the real jobs queue: the figures
// equal the day-partial path's and the sum of their centres, exact and protected alike.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { localDateOf, periodOfDate, zonedDateTime } from "@halte/core";
import {
  insertVisits,
  type NewVisitRow,
  visitMonthRollups,
  visitPeriodFigures,
  visitRollups,
} from "@halte/db";
import { and, eq, inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Databases } from "../src/databases.js";
import { uuidv7 } from "../src/ids.js";
import { NIGHTLY_CRON } from "../src/jobs/index.js";
import { runRollupEverywhere, SETTLE_MS } from "../src/jobs/rollup.js";
import worker from "../src/worker.js";
import { api, db, givenCentre, signedIn } from "./helpers.js";

const PARIS = "Europe/Paris";
const MONTHS = ["2026-09", "2026-10", "2026-11", "2026-12"];

/**
 * A centre's arrivals: `perDay` a day on days 1–6 of each month, some with a card seen again. The door
 * hashes codes with each centre's own key, so two centres never share one: `centre` makes them differ.
 */
async function givenMonthsOfVisits(centreId: string, perDay: number, centre: number) {
  const rows: NewVisitRow[] = [];
  for (const month of MONTHS) {
    for (let day = 1; day <= 6; day++) {
      for (let n = 0; n < perDay; n++) {
        const at = `${month}-0${day}T${String(8 + (n % 10)).padStart(2, "0")}:15:00+02:00`;
        rows.push({
          id: uuidv7(new Date()),
          centreId,
          arrivedAt: new Date(at).toISOString(),
          localDay: localDateOf(at, PARIS),
          localHour: zonedDateTime(at, PARIS).hour,
          visitorCodeHash: n % 3 === 0 ? null : `${centre}${n % 7}`.repeat(32),
          ageBand: (["18-59", "60+", "12-17"] as const)[n % 3] ?? null,
          gender: (["male", "female"] as const)[n % 2] ?? null,
          languages: n % 2 === 0 ? ["ar"] : ["ti"],
          firstVisit: null,
          idempotencyKey: null,
          recordedBy: null,
        });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 50) {
    for (const statement of insertVisits(db, rows.slice(i, i + 50), new Date().toISOString(), false))
      await statement;
  }
}

async function monthRowsOf(centreIds: string[]) {
  return db.select().from(visitMonthRollups).where(inArray(visitMonthRollups.centreId, centreIds));
}

describe("reports across centres from stored figures", () => {
  it("equal the day-partial path and the sum of their centres, exact and protected, once the nightly job merged the months", async () => {
    const centres = [await givenCentre(), await givenCentre(), await givenCentre()];
    for (const [i, centreId] of centres.entries()) await givenMonthsOfVisits(centreId, 8 + 4 * i, i);
    await runRollupEverywhere({
      dbs: new Databases(env),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    const admin = await signedIn("admin");
    const across = `centreIds=${centres.join(",")}`;
    const queries = [
      "period=month&from=2026-09-01&to=2026-12-31&disclosure=none",
      "period=month&from=2026-09-01&to=2026-12-31",
      "period=quarter&from=2026-07-01&to=2026-12-31",
      "period=year&from=2026-01-01&to=2026-12-31&disclosure=none",
    ];
    const ask = async (scope: string, query: string) => {
      const answer = await api("GET", `/api/reports/visits?${scope}&${query}`, { as: admin });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    // Before any nightly run: no month partial, every figure from day partials.
    const fromDays = [];
    for (const query of queries) fromDays.push(await ask(across, query));
    expect(fromDays[0].pastMonthsAsOf).toBeUndefined();
    expect(await monthRowsOf(centres)).toEqual([]);

    // The nightly cron: roll-up, then purge, then the month merge, per centre through the jobs queue.
    const ctx = createExecutionContext();
    const at = new Date(Date.now() + SETTLE_MS);
    await worker.scheduled(
      createScheduledController({ scheduledTime: at, cron: NIGHTLY_CRON }),
      env as never,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await expect.poll(async () => (await monthRowsOf(centres)).length, { timeout: 15_000 }).toBe(12);

    // What the reports across centres read: each centre's months (and quarters, years) that had ended, and
    // not one visitor-code prefix; the months with their codes stay with the centre (here the same `DB`).
    const today = localDateOf(at, PARIS);
    const figures = await db
      .select()
      .from(visitPeriodFigures)
      .where(inArray(visitPeriodFigures.centreId, centres));
    const ended = MONTHS.filter((m) => periodOfDate("month", `${m}-01`).end < today).map((m) => `${m}-01`);
    expect(ended.length).toBeGreaterThan(0);
    for (const centreId of centres)
      expect(
        figures.filter((row) => row.centreId === centreId && row.grain === "month").map((row) => row.start),
      ).toEqual(ended);
    const prefixes = centres.flatMap((_, c) => [0, 1, 2, 3, 4, 5, 6].map((n) => `${c}${n}`.repeat(8)));
    for (const row of figures) {
      expect(periodOfDate(row.grain, row.start).end < today).toBe(true);
      expect(JSON.parse(row.aggregate).visitorCodes).toEqual([]);
      for (const prefix of prefixes) expect(row.aggregate + row.servicePeople).not.toContain(prefix);
    }

    for (const [i, query] of queries.entries()) {
      const fromMonths = await ask(across, query);
      const { pastMonthsAsOf, ...rest } = fromMonths;
      expect(pastMonthsAsOf).toBe(at.toISOString());
      expect(rest).toEqual(fromDays[i]);
    }

    // Each month across centres is the sum of the centres' own reports (read from their day partials).
    const perCentre = await Promise.all(centres.map((id) => ask(`centreId=${id}`, queries[0] ?? "")));
    for (const [m, item] of fromDays[0].items.entries()) {
      const sum = perCentre.reduce((total, one) => total + one.items[m].visits, 0);
      expect(item.visits).toBe(sum);
      expect(item.visits).toBeGreaterThan(0);
    }

    // A centre whose figures are not stored (say, added after last night's merge) is read from its own
    // months and days, and its part of each period adds up with the others' stored figures.
    const stored = await db
      .select()
      .from(visitPeriodFigures)
      .where(eq(visitPeriodFigures.centreId, centres[1] ?? ""));
    expect(stored.length).toBeGreaterThan(0);
    await db.delete(visitPeriodFigures).where(eq(visitPeriodFigures.centreId, centres[1] ?? ""));
    for (const [i, query] of queries.entries()) {
      const { pastMonthsAsOf: _mixedAsOf, ...mixed } = await ask(across, query);
      expect(mixed).toEqual(fromDays[i]);
    }
    await db.insert(visitPeriodFigures).values(stored);

    // The past months really come from the stored months: a September day partial removed from the first
    // centre changes its own report (day partials), not the report across centres until the next merge.
    const [first] = centres;
    await db
      .delete(visitRollups)
      .where(and(eq(visitRollups.centreId, first ?? ""), like(visitRollups.localDay, "2026-09-%")));
    const alone = await ask(`centreId=${first}`, queries[0] ?? "");
    expect(alone.items.map((item: { period: string }) => item.period)).toEqual([
      "202610",
      "202611",
      "202612",
    ]);
    const { pastMonthsAsOf: _asOf, ...still } = await ask(across, queries[0] ?? "");
    expect(still).toEqual(fromDays[0]);
  });
});
