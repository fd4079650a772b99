// The scheduled roll-up and the reports read from it, inside workerd with the real local D1: the cron
// handler as the platform calls it, watermark and catch-up, repeat and kill-and-rerun giving identical
// bytes, late data re-rolling its own day, the DST change and ISO week 53 in Europe/Paris, and disclosure
// control applied on the server for each kind of caller.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type AgeBand, type Gender, localDateOf, parseVisitAggregate, zonedDateTime } from "@halte/core";
import { insertVisits, jobRuns, jobWatermarks, type NewVisitRow, visitRollups } from "@halte/db";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { ROLLUP_JOB, rollupWatermarkOf, runRollup, SETTLE_MS } from "../src/jobs/rollup.js";
import worker from "../src/worker.js";
import { api, db, givenCentre, signedIn } from "./helpers.js";

const PARIS = "Europe/Paris";

/** Visits written straight to D1 (as an offline tablet's backlog would land), `writtenAt` as now. */
async function givenVisits(
  centreId: string,
  arrivals: { at: string; age?: AgeBand; gender?: Gender; code?: string }[],
  writtenAt = new Date(),
) {
  const rows: NewVisitRow[] = arrivals.map((a) => ({
    id: uuidv7(new Date()),
    centreId,
    arrivedAt: new Date(a.at).toISOString(),
    localDay: localDateOf(a.at, PARIS),
    localHour: zonedDateTime(a.at, PARIS).hour,
    visitorCodeHash: a.code ?? null,
    ageBand: a.age ?? null,
    gender: a.gender ?? null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    recordedBy: null,
  }));
  for (const statement of insertVisits(db, rows, writtenAt.toISOString(), false)) await statement;
}

/**
 * Fires the Worker's cron handler as the platform would, at `at`, and waits until the jobs queue's consumer
 * has recorded that tick's roll-up of `centreId` (the cron only puts one message per centre on the queue).
 */
async function cron(at: Date, centreId: string) {
  const ranFor = async () =>
    (
      await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.centreId, centreId), eq(jobRuns.startedAt, at.toISOString())))
    ).length;
  const controller = createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env as never, ctx);
  await waitOnExecutionContext(ctx);
  await expect.poll(ranFor, { timeout: 10_000, interval: 100 }).toBe(1);
}

/**
 * A cron tick whose settled window ends now: rows written before this call are rolled, rows written after
 * it wait for the next tick (as rows written in the last minute do in production).
 */
const later = () => new Date(Date.now() + SETTLE_MS);

async function rollupsOf(centreId: string) {
  return db
    .select()
    .from(visitRollups)
    .where(eq(visitRollups.centreId, centreId))
    .orderBy(asc(visitRollups.localDay));
}

function partial(json: string | undefined) {
  const parsed = parseVisitAggregate(json ?? "");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe("the scheduled roll-up", () => {
  it("files each arrival under its Paris day and hour across the spring DST change", async () => {
    const centreId = await givenCentre();
    await givenVisits(centreId, [
      { at: "2026-03-29T01:30:00+01:00" }, // before the jump: 01:30 CET
      { at: "2026-03-29T03:30:00+02:00" }, // after it: 03:30 CEST, one real hour later
      { at: "2026-03-28T23:59:00+01:00" }, // still Saturday in Paris
      { at: "2026-03-29T23:30:00+02:00" }, // Sunday night, already Monday in UTC+…? no: 21:30Z
    ]);
    await cron(later(), centreId);
    const days = await rollupsOf(centreId);
    expect(days.map((d) => d.localDay)).toEqual(["2026-03-28", "2026-03-29"]);
    const sunday = partial(days[1]?.aggregate);
    expect(sunday.visits).toBe(3);
    expect(sunday.byHour[1]).toBe(1);
    expect(sunday.byHour[3]).toBe(1);
    expect(sunday.byHour[2]).toBe(0); // 02:00–02:59 did not exist that night
    expect(sunday.byHour[23]).toBe(1);
  });

  it("moves its watermark, logs each run, and a second run with nothing new changes no byte", async () => {
    const centreId = await givenCentre();
    await givenVisits(centreId, [{ at: "2026-11-02T09:00:00+01:00", code: "a".repeat(64) }]);
    const at = later();
    await cron(at, centreId);
    const first = await rollupsOf(centreId);
    const [mark] = await db
      .select()
      .from(jobWatermarks)
      .where(eq(jobWatermarks.job, rollupWatermarkOf(centreId)));
    expect(mark?.watermark).toBe(new Date(at.getTime() - SETTLE_MS).toISOString());
    await cron(new Date(later().getTime() + 1), centreId); // the next tick
    expect(await rollupsOf(centreId)).toEqual(first);
    const runs = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, ROLLUP_JOB), eq(jobRuns.centreId, centreId)));
    const last = runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
    expect(last).toMatchObject({ daysRolled: 0, rowsRead: 0 });
  });

  it("re-rolls only the day a late row belongs to, and catches up missed runs", async () => {
    const centreId = await givenCentre();
    await givenVisits(centreId, [{ at: "2026-11-10T09:00:00+01:00" }, { at: "2026-11-11T09:00:00+01:00" }]);
    await cron(later(), centreId);
    const before = await rollupsOf(centreId);
    // A tablet that was offline for ten days uploads its backlog: a visit of the 10th, written now.
    await givenVisits(centreId, [{ at: "2026-11-10T17:45:00+01:00", age: "18-59", gender: "female" }]);
    // Two cron ticks were missed; the next one still finds the row, by when it was written.
    const run = await runRollup({ db, now: later(), newId: () => uuidv7(new Date()), centreId });
    expect(run.daysRolled).toBeGreaterThanOrEqual(1);
    const after = await rollupsOf(centreId);
    expect(partial(after[0]?.aggregate).visits).toBe(2);
    expect(after[1]).toEqual(before[1]); // the 11th untouched, byte for byte
  });

  it("killed half way and run again, writes exactly what one clean run writes", async () => {
    const centreId = await givenCentre();
    const arrivals = Array.from({ length: 45 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 5, 1 + i, 8, 30)).toISOString(),
      age: (["18-59", "60+", "12-17"] as const)[i % 3],
      gender: (["male", "female"] as const)[i % 2],
      code: (i % 7).toString(16).repeat(64),
    }));
    await givenVisits(centreId, arrivals);
    const rerun = async (killAfter?: number) => {
      await db.delete(visitRollups).where(eq(visitRollups.centreId, centreId));
      await db.delete(jobWatermarks).where(eq(jobWatermarks.job, rollupWatermarkOf(centreId)));
      const options = {
        db,
        centreId,
        now: later(),
        newId: () => uuidv7(new Date()),
        ...(killAfter === undefined
          ? {}
          : {
              afterBatch: (written: number) => {
                if (written >= killAfter) throw new Error("killed");
              },
            }),
      };
      return runRollup(options);
    };
    await rerun();
    const clean = await rollupsOf(centreId);
    expect(clean).toHaveLength(45);

    await expect(rerun(20)).rejects.toThrow("killed");
    expect((await rollupsOf(centreId)).length).toBeLessThan(45);
    const [mark] = await db
      .select()
      .from(jobWatermarks)
      .where(eq(jobWatermarks.job, rollupWatermarkOf(centreId)));
    expect(mark).toBeUndefined(); // the watermark did not move: the next run redoes everything
    await runRollup({ db, now: later(), newId: () => uuidv7(new Date()), centreId });
    expect(await rollupsOf(centreId)).toEqual(clean);
  });
});

describe("the rebuild of a centre", () => {
  it("month by month, gives byte for byte what the incremental roll-up stored", async () => {
    const centreId = await givenCentre();
    await givenVisits(
      centreId,
      Array.from({ length: 40 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 9, 10 + i, 7 + (i % 10), 15)).toISOString(),
        age: (["18-59", "60+"] as const)[i % 2],
        code: (i % 5).toString(16).repeat(64),
      })),
    );
    await cron(later(), centreId);
    const incremental = await rollupsOf(centreId);
    expect(incremental.map((d) => d.localDay.slice(0, 7))).toContain("2026-11");

    await db.delete(visitRollups).where(eq(visitRollups.centreId, centreId));
    const admin = await signedIn("admin");
    for (const month of ["2026-10", "2026-11"]) {
      const rebuilt = await api("POST", "/api/jobs/rebuild", { as: admin, body: { centreId, month } });
      expect(rebuilt.status, JSON.stringify(rebuilt.body)).toBe(200);
      expect(rebuilt.body.daysRolled).toBeGreaterThan(0);
    }
    expect(await rollupsOf(centreId)).toEqual(incremental);
    const bad = await api("POST", "/api/jobs/rebuild", { as: admin, body: { centreId, month: "2026-13" } });
    expect(bad.status).toBe(422);
  });
});

describe("visit reports", () => {
  async function centreWithWeek53() {
    const centreId = await givenCentre({ disclosureThreshold: 5 });
    // ISO week 2020W53 runs from Monday 28 December 2020 to Sunday 3 January 2021.
    const arrivals = [
      ...Array.from({ length: 12 }, (_, i) => ({
        at: `2020-12-${String(28 + (i % 4)).padStart(2, "0")}T10:00:00+01:00`,
        age: "18-59" as const,
        gender: "male" as const,
      })),
      ...Array.from({ length: 6 }, () => ({
        at: "2021-01-02T10:00:00+01:00",
        age: "18-59" as const,
        gender: "female" as const,
      })),
      { at: "2021-01-03T10:00:00+01:00", age: "60+" as const, gender: "female" as const },
      { at: "2021-01-04T10:00:00+01:00", age: "18-59" as const, gender: "male" as const }, // week 1 of 2021
    ];
    await givenVisits(centreId, arrivals);
    await cron(later(), centreId);
    return centreId;
  }

  const path = (centreId: string, extra = "") =>
    `/api/reports/visits?centreId=${centreId}&period=week&from=2020-12-28&to=2021-01-10${extra}`;

  it("counts unique visitors by age band and gender, each person once per group over the period", async () => {
    const centreId = await givenCentre({ disclosureThreshold: 5 });
    const code = (n: number) => String(n).repeat(64);
    await givenVisits(centreId, [
      // One man seen three times in the week, once said to be 60+: once in each age band he was seen in.
      { at: "2020-12-28T10:00:00+01:00", age: "18-59", gender: "male", code: code(1) },
      { at: "2020-12-29T10:00:00+01:00", age: "18-59", gender: "male", code: code(1) },
      { at: "2020-12-30T10:00:00+01:00", age: "60+", gender: "male", code: code(1) },
      { at: "2020-12-30T11:00:00+01:00", age: "18-59", gender: "female", code: code(2) },
      { at: "2020-12-31T11:00:00+01:00", gender: "female", code: code(3) },
      { at: "2020-12-31T12:00:00+01:00", age: "18-59", gender: "female" }, // no card: not a unique visitor
    ]);
    await cron(later(), centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const exact = await api("GET", path(centreId, "&disclosure=none"), { as: coordinator });
    const week = exact.body.items[0];
    const counts = (list: { group: string; count: { value: number } }[]) =>
      Object.fromEntries(list.map((entry) => [entry.group, entry.count.value]));
    expect(week.uniqueVisitors).toBe(3);
    expect(counts(week.uniqueVisitorsBy.byAgeBand)).toMatchObject({ "18-59": 2, "60+": 1, unknown: 1 });
    expect(counts(week.uniqueVisitorsBy.byGender)).toMatchObject({ male: 1, female: 2 });
    expect(JSON.stringify(exact.body)).not.toContain("visitorGroups");
    // An observer gets them perturbed: small groups read 0 or 5, never 1…4.
    const observer = await signedIn("observer", { centreId });
    const shown = await api("GET", path(centreId), { as: observer });
    for (const entry of shown.body.items[0].uniqueVisitorsBy.byAgeBand)
      expect([0, 5]).toContain(entry.count.value);
  });

  it("merges days into ISO weeks, 2020W53 included, and perturbs every figure for an observer", async () => {
    const centreId = await centreWithWeek53();
    const observer = await signedIn("observer", { centreId });
    const report = await api("GET", path(centreId), { as: observer });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ suppressed: true, protection: "cell-key", k: 5, maxNoise: 2 });
    expect(report.body.items.map((item: { period: string }) => item.period)).toEqual(["2020W53", "2021W01"]);
    const week53 = report.body.items[0];
    expect(Math.abs(week53.visits.grandTotal.value - 19)).toBeLessThanOrEqual(2);
    // The lone 60+ woman is a cell of 1: published as 0 or 5, never as 1.
    const row = week53.visits.rowLabels.indexOf("60+");
    const column = week53.visits.columnLabels.indexOf("female");
    expect([0, 5]).toContain(week53.visits.cells[row][column].value);
    expect(JSON.stringify(report.body)).not.toContain("visitorCodes");
    expect(JSON.stringify(report.body)).not.toContain("keys");
    // Week 1 of 2021 has a single visit: even its total is 0 or 5.
    expect([0, 5]).toContain(report.body.items[1].visits.grandTotal.value);
    // The same question asked again gives the same figures.
    expect((await api("GET", path(centreId), { as: observer })).body).toEqual(report.body);
  });

  it("shows unsuppressed figures only to roles that may see them, labelled, and never in an export", async () => {
    const centreId = await centreWithWeek53();
    const coordinator = await signedIn("coordinator", { centreId });
    const raw = await api("GET", path(centreId, "&disclosure=none"), { as: coordinator });
    expect(raw.status).toBe(200);
    expect(raw.body.suppressed).toBe(false);
    expect(raw.body.items[0]).toMatchObject({ period: "2020W53", visits: 19 });
    expect(raw.body.items[0].byAgeBandGender["60+"].female).toBe(1);
    expect(JSON.stringify(raw.body)).not.toContain("visitorCodes");

    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", path(centreId, "&disclosure=none"), { as: observer })).status).toBe(403);
    const reception = await signedIn("reception", { centreId });
    expect((await api("GET", path(centreId), { as: reception })).status).toBe(403);
    const csvRaw = await api("GET", path(centreId, "&disclosure=none&format=csv"), { as: coordinator });
    expect(csvRaw.status).toBe(422);
  });

  it("exports the protected figures as CSV with the HXL hashtag row, the same as the JSON", async () => {
    const centreId = await centreWithWeek53();
    const observer = await signedIn("observer", { centreId });
    const csv = await api("GET", path(centreId, "&format=csv-hxl"), { as: observer });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = String(csv.body).trim().split(/\r?\n/);
    expect(lines[1]).toContain("#date");
    expect(lines[2]).toMatch(/^2020W53,/);
    const json = await api("GET", path(centreId), { as: observer });
    expect(lines[2]?.split(",")[2]).toBe(String(json.body.items[0].visits.grandTotal.value));
    expect(lines.join("\n")).not.toContain("suppressed");
  });

  it("refuses a backwards or over-long range with a field error", async () => {
    const centreId = await givenCentre();
    const observer = await signedIn("observer", { centreId });
    const backwards = await api(
      "GET",
      `/api/reports/visits?centreId=${centreId}&from=2026-02-01&to=2026-01-01`,
      {
        as: observer,
      },
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].path).toEqual(["query", "to"]);
    const long = await api("GET", `/api/reports/visits?centreId=${centreId}&from=2020-01-01&to=2026-01-01`, {
      as: observer,
    });
    expect(long.status).toBe(422);
  });
});
