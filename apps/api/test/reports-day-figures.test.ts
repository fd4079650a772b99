// The arrivals and services reports across centres read the day-level figures the nightly merge stores for
// past months, quarters and years (counts and cell keys, no visitor codes), and each centre's own months
// and day partials for the rest: inside workerd with real local D1 databases, with every centre in the
// directory's database and with each centre in its own (figures in a database of their own). What a user
// would notice: the same answers, exact and protected, as from the day partials.
import { env } from "cloudflare:workers";
import { localDateOf, parseDayFigures, periodOfDate, type Schedule, zonedDateTime } from "@halte/core";
import {
  type Db,
  jobWatermarks,
  services,
  serviceUses,
  visitMonthRollups,
  visitPeriodFigures,
  visitRollups,
  visits,
} from "@halte/db";
import { and, eq, inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Databases } from "../src/databases.js";
import { uuidv7 } from "../src/ids.js";
import { NIGHTLY_CRON, runScheduled } from "../src/jobs/index.js";
import { runRollupEverywhere, SETTLE_MS } from "../src/jobs/rollup.js";
import { callHandler, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { centreDb, givenCentreIn } from "./split-helpers.js";

const PARIS = "Europe/Paris";
const MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"];

/** Showers: 3 a day, Monday to Saturday, closed on 14 October; the café has no capacity known. */
const SHOWERS: Schedule = {
  timeZone: PARIS,
  weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
  exceptions: [{ date: "2026-10-14", kind: "closed", reason: "Plumbing works" }],
  dailyCapacity: 3,
};

async function givenServiceIn(
  into: Db,
  centreId: string,
  partnerId: string,
  name: string,
  schedule: Schedule,
) {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  await into.insert(services).values({
    id,
    centreId,
    organizationId: partnerId,
    name,
    category: "hygiene",
    status: "active",
    languages: ["fr"],
    schedule,
    translations: {},
    ticketQueue: false,
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

/**
 * Five months of a centre's arrivals (days 1–9, 14 and 28 of each month), cards seen again, and uses of the
 * showers and the café, most recorded with a visit (who used them), some alone (a bulk report of 4).
 */
async function givenMonthsOfUses(into: Db, centreId: string, seed: number) {
  const partnerId = await givenPartner(centreId, "Armée du Salut");
  const showers = await givenServiceIn(into, centreId, partnerId, "Douches", SHOWERS);
  const cafe = await givenServiceIn(into, centreId, partnerId, "Café", {
    timeZone: PARIS,
    weekly: [],
    exceptions: [],
  });
  const at = new Date(Date.now() - 2 * SETTLE_MS).toISOString();
  const visitRows: (typeof visits.$inferInsert)[] = [];
  const useRows: (typeof serviceUses.$inferInsert)[] = [];
  let n = 0;
  for (const month of MONTHS)
    for (const day of [1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 28])
      for (let i = 0; i < 3 + ((day + seed) % 4); i++, n++) {
        const instant = `${month}-${String(day).padStart(2, "0")}T${String(8 + ((i * 3 + seed) % 11)).padStart(2, "0")}:20:00+01:00`;
        const id = uuidv7(new Date());
        visitRows.push({
          id,
          centreId,
          arrivedAt: new Date(instant).toISOString(),
          localDay: localDateOf(instant, PARIS),
          localHour: zonedDateTime(instant, PARIS).hour,
          visitorCodeHash: n % 3 === 0 ? null : `${seed}${n % 5}`.repeat(32),
          ageBand: (["18-59", "60+", "12-17"] as const)[(n + seed) % 3] ?? null,
          gender: (["male", "female"] as const)[n % 2] ?? null,
          languages: n % 2 === 0 ? ["ar"] : ["ti", "fr"],
          firstVisit: null,
          idempotencyKey: null,
          recordedBy: null,
          createdAt: at,
          updatedAt: at,
        });
        const use = (serviceId: string, visitId: string | null, quantity: number) =>
          useRows.push({
            id: uuidv7(new Date()),
            centreId,
            serviceId,
            visitId,
            usedAt: new Date(instant).toISOString(),
            localDay: localDateOf(instant, PARIS),
            quantity,
            source: visitId === null ? ("partner_report" as const) : ("door" as const),
            partnerId: visitId === null ? partnerId : null,
            idempotencyKey: null,
            recordedBy: null,
            createdAt: at,
            updatedAt: at,
          });
        if (n % 2 === 0) use(showers, id, 1);
        if (n % 3 !== 1) use(cafe, id, 1);
        if (n % 17 === 0) use(cafe, null, 4);
      }
  for (let i = 0; i < visitRows.length; i += 6) await into.insert(visits).values(visitRows.slice(i, i + 6));
  for (let i = 0; i < useRows.length; i += 6) await into.insert(serviceUses).values(useRows.slice(i, i + 6));
  return showers;
}

/** The reports compared: services by month, quarter and year, arrivals over ranges and whole periods. */
function queriesFor(showers: string) {
  return [
    "services?period=month&from=2026-08-01&to=2026-12-31&disclosure=none",
    "services?period=month&from=2026-08-01&to=2026-12-31",
    "services?period=month&from=2026-08-01&to=2026-12-31&format=csv-hxl",
    `services?period=month&from=2026-08-01&to=2026-12-31&serviceId=${showers}`,
    "services?period=quarter&from=2026-07-01&to=2026-12-31&disclosure=none",
    "services?period=quarter&from=2026-07-01&to=2026-12-31",
    "services?period=year&from=2026-01-01&to=2026-12-31&disclosure=none",
    "services?period=month&from=2026-08-10&to=2026-11-20&disclosure=none",
    "services?period=week&from=2026-09-28&to=2026-10-11&disclosure=none",
    "arrivals?from=2026-08-01&to=2026-12-31&disclosure=none",
    "arrivals?from=2026-08-10&to=2026-11-20&disclosure=none",
    "arrivals?from=2026-10-01&to=2026-10-31",
    "arrivals?from=2026-07-01&to=2026-09-30",
    "arrivals?from=2026-10-01&to=2026-12-31&format=csv",
    "arrivals?from=2026-01-01&to=2026-12-31",
  ];
}

/** Asks every query across the centres; answers without the `pastMonthsAsOf` note, and the notes apart. */
async function answers(centreIds: string[], queries: string[], bindings: Record<string, unknown> = {}) {
  const admin = await signedIn("admin");
  const bodies: unknown[] = [];
  const notes: (string | undefined)[] = [];
  for (const query of queries) {
    const [report, rest] = query.split("?");
    const answer = await callHandler(
      "GET",
      `/api/reports/${report}?centreIds=${centreIds.join(",")}&${rest}`,
      {
        as: admin,
        bindings: bindings as never,
      },
    );
    expect(answer.status, `${query}: ${JSON.stringify(answer.body)}`).toBe(200);
    const { pastMonthsAsOf, ...body } = (
      typeof answer.body === "string" ? { csv: answer.body } : answer.body
    ) as {
      pastMonthsAsOf?: string;
    };
    bodies.push(body);
    notes.push(pastMonthsAsOf);
  }
  return { bodies, notes };
}

/** Rows of stored figures of the centres in a database, with a check that none holds a visitor code. */
async function storedFiguresOf(into: Db, centreIds: string[], seeds: number[]) {
  const rows = await into
    .select()
    .from(visitPeriodFigures)
    .where(inArray(visitPeriodFigures.centreId, centreIds));
  const prefixes = seeds.flatMap((seed) => [0, 1, 2, 3, 4].map((n) => `${seed}${n}`.repeat(8)));
  for (const row of rows) {
    expect(row.dayFigures, `${row.grain} ${row.start}`).not.toBeNull();
    for (const prefix of prefixes) expect(`${row.dayFigures}${row.aggregate}`).not.toContain(prefix);
  }
  return rows;
}

/** The note a JSON answer carries once stored figures are used: none by week, none in a CSV. */
const noteOf = (query: string, at: Date) =>
  query.includes("period=week") || query.includes("format=csv") ? undefined : at.toISOString();

const ended = (at: Date) =>
  MONTHS.filter((m) => periodOfDate("month", `${m}-01`).end < localDateOf(at, PARIS));

describe("arrivals and services reports across centres from stored day-level figures", () => {
  it("equal the day-partial path, exact and protected, once the nightly job merged the months", async () => {
    const seeds = [1, 2, 3];
    const centres = [await givenCentre(), await givenCentre(), await givenCentre()];
    const showers = [];
    for (const [i, centreId] of centres.entries())
      showers.push(await givenMonthsOfUses(db, centreId, seeds[i] ?? 0));
    await runRollupEverywhere({
      dbs: new Databases(env),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    const queries = queriesFor(showers[0] ?? "");
    const fromDays = await answers(centres, queries);
    expect(fromDays.notes.every((note) => note === undefined)).toBe(true);

    const at = new Date(Date.now() + SETTLE_MS);
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: at.getTime() }, {
      ...env,
      JOB_QUEUE: undefined,
    } as never);
    const months = await db
      .select()
      .from(visitMonthRollups)
      .where(inArray(visitMonthRollups.centreId, centres));
    expect(months).toHaveLength(centres.length * MONTHS.length);
    for (const month of months) expect(month.dayFigures).not.toBeNull();
    const figures = await storedFiguresOf(db, centres, seeds);
    expect(figures.filter((row) => row.grain === "month")).toHaveLength(centres.length * ended(at).length);

    const fromFigures = await answers(centres, queries);
    expect(fromFigures.bodies).toEqual(fromDays.bodies);
    // Every report by month or longer, and the arrivals, used stored figures and say so (a CSV has no such
    // note); the weekly one did not.
    expect(fromFigures.notes).toEqual(queries.map((query) => noteOf(query, at)));

    // They really come from the stored figures: August's day partials gone from the first centre change
    // nothing across centres until the next merge.
    await db
      .delete(visitRollups)
      .where(and(eq(visitRollups.centreId, centres[0] ?? ""), like(visitRollups.localDay, "2026-08-%")));
    const still = await answers(centres, queries.slice(0, 1));
    expect(still.bodies[0]).toEqual(fromDays.bodies[0]);
  });

  it("read the days of periods merged before their day-level figures were stored, until the next night stores them", async () => {
    const centres = [await givenCentre(), await givenCentre()];
    const showers = [
      await givenMonthsOfUses(db, centres[0] ?? "", 6),
      await givenMonthsOfUses(db, centres[1] ?? "", 7),
    ];
    const first = new Date(Date.now() + SETTLE_MS);
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: first.getTime() }, {
      ...env,
      JOB_QUEUE: undefined,
    } as never);
    const queries = queriesFor(showers[0] ?? "").filter((query) => !query.includes("format=csv"));
    const merged = await answers(centres, queries);
    // As an install merged before migration 0018 left them: months and figures without day-level figures.
    await db
      .update(visitMonthRollups)
      .set({ dayFigures: null })
      .where(inArray(visitMonthRollups.centreId, centres));
    await db
      .update(visitPeriodFigures)
      .set({ dayFigures: null })
      .where(inArray(visitPeriodFigures.centreId, centres));
    const before = await answers(centres, queries);
    expect(before.bodies).toEqual(merged.bodies);
    expect(before.notes.every((note) => note === undefined)).toBe(true);
    // The migration forgets the merge's watermarks: the next night merges every month again and stores them.
    for (const centreId of centres)
      await db.delete(jobWatermarks).where(eq(jobWatermarks.job, `month-partials:${centreId}`));
    const next = new Date(Date.now() + SETTLE_MS);
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: next.getTime() }, {
      ...env,
      JOB_QUEUE: undefined,
    } as never);
    await storedFiguresOf(db, centres, [6, 7]);
    const after = await answers(centres, queries);
    expect(after.bodies).toEqual(merged.bodies);
    expect(after.notes).toEqual(queries.map((query) => noteOf(query, next)));
  });

  it("read figures stored in the earlier object form alike, and refuse a damaged row rather than answer without it", async () => {
    const centres = [await givenCentre(), await givenCentre()];
    const showers = await givenMonthsOfUses(db, centres[0] ?? "", 8);
    await givenMonthsOfUses(db, centres[1] ?? "", 9);
    const at = new Date(Date.now() + SETTLE_MS);
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: at.getTime() }, {
      ...env,
      JOB_QUEUE: undefined,
    } as never);
    const queries = queriesFor(showers).filter((query) => !query.includes("format=csv"));
    const compact = await answers(centres, queries);
    const rows = await storedFiguresOf(db, centres, [8, 9]);
    expect(rows.length).toBeGreaterThan(0);
    // As the nightly merge stored them before migration 0019: objects, not arrays of numbers.
    for (const row of rows) {
      expect(JSON.parse(row.dayFigures ?? "").v).toBe(2);
      const read = parseDayFigures(row.dayFigures ?? "");
      if (!read.ok) throw new Error(read.error.message);
      const where = and(
        eq(visitPeriodFigures.centreId, row.centreId),
        eq(visitPeriodFigures.grain, row.grain),
        eq(visitPeriodFigures.start, row.start),
      );
      await db
        .update(visitPeriodFigures)
        .set({ dayFigures: JSON.stringify(read.value) })
        .where(where);
    }
    expect((await answers(centres, queries)).bodies).toEqual(compact.bodies);

    // One month of one centre damaged (a use count that is not a count): an error, never the report
    // without that month or with other figures for it.
    const october = rows.find((row) => row.grain === "month" && row.start === "2026-10-01");
    const damaged = JSON.parse(october?.dayFigures ?? "");
    const service = Object.values(damaged.services)[0] as { days: number[] };
    service.days[1] = -3;
    await db
      .update(visitPeriodFigures)
      .set({ dayFigures: JSON.stringify(damaged) })
      .where(
        and(
          eq(visitPeriodFigures.centreId, october?.centreId ?? ""),
          eq(visitPeriodFigures.grain, "month"),
          eq(visitPeriodFigures.start, "2026-10-01"),
        ),
      );
    const answer = await callHandler(
      "GET",
      `/api/reports/services?centreIds=${centres.join(",")}&period=month&from=2026-08-01&to=2026-12-31`,
      { as: await signedIn("admin") },
    );
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: "internal", status: 500 });
    expect(JSON.stringify(answer.body)).not.toMatch(/items|totals/);
  });

  it("with each centre in its own database: the same answers, the figures in the figures database without codes", async () => {
    const seeds = [4, 5];
    const centres = [await givenCentreIn("CENTRE_A"), await givenCentreIn("CENTRE_B")];
    const showers = [
      await givenMonthsOfUses(centreDb("CENTRE_A"), centres[0] ?? "", 4),
      await givenMonthsOfUses(centreDb("CENTRE_B"), centres[1] ?? "", 5),
    ];
    // CENTRE_C plays a `FIGURES` database: neither the directory nor either centre's.
    const figuresEnv = { FIGURES: env.CENTRE_C, JOB_QUEUE: undefined };
    await runRollupEverywhere({
      dbs: new Databases({ ...env, ...figuresEnv } as never),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    const queries = queriesFor(showers[0] ?? "");
    const fromDays = await answers(centres, queries, figuresEnv);

    const at = new Date(Date.now() + SETTLE_MS);
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: at.getTime() }, {
      ...env,
      ...figuresEnv,
    } as never);
    const figures = await storedFiguresOf(centreDb("CENTRE_C"), centres, seeds);
    expect(figures.filter((row) => row.grain === "month")).toHaveLength(centres.length * ended(at).length);
    expect(await storedFiguresOf(db, centres, seeds)).toEqual([]);
    for (const binding of ["CENTRE_A", "CENTRE_B"] as const)
      expect(
        (
          await centreDb(binding)
            .select()
            .from(visitMonthRollups)
            .where(inArray(visitMonthRollups.centreId, centres))
        ).length,
      ).toBe(MONTHS.length);

    const fromFigures = await answers(centres, queries, figuresEnv);
    expect(fromFigures.bodies).toEqual(fromDays.bodies);
    expect(fromFigures.notes).toEqual(queries.map((query) => noteOf(query, at)));
  });
});
