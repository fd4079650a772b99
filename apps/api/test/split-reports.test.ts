// Reports, jobs and the coordinators' records (events, feedback, lessons, audit), the public directory and
// the centre edits, with each centre in a database of its own (CENTRE_A/B/C beside the directory `DB`):
// workerd and real local D1 databases, no mocks. What a user would notice: the same figures as on a
// single-database install, the nightly jobs doing each centre's work in its own database, one broken
// database failing alone, and a coordinator of one centre never reaching another's rows.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { localDateOf, periodOfDate, zonedDateTime } from "@halte/core";
import {
  auditLog,
  centres,
  type Db,
  events,
  feedback,
  jobRuns,
  jobWatermarks,
  lessons,
  rateLimits,
  referrals,
  services,
  visitMonthRollups,
  visitPeriodFigures,
  visitRollups,
  visits,
} from "@halte/db";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { NIGHTLY_CRON, runScheduled } from "../src/jobs/index.js";
import { PURGE_JOB } from "../src/jobs/purge.js";
import { type CentreJobMessage, consumeJobQueue } from "../src/jobs/queue.js";
import { ROLLUP_JOB, SETTLE_MS } from "../src/jobs/rollup.js";
import { api, type Caller, callHandler, db, givenCentre, partnerToken, signedIn } from "./helpers.js";
import { type CentreBinding, centreDb, givenCentreIn, givenPartnerIn } from "./split-helpers.js";

const BINDINGS: CentreBinding[] = ["CENTRE_A", "CENTRE_B", "CENTRE_C"];

/** The same arrivals, with the same record keys, written to a centre's database: twins give equal figures. */
async function givenArrivals(into: Db, centreId: string, seed: number, count: number) {
  // Written two minutes ago: settled, so a roll-up run now (the admin's route) takes them.
  const at = new Date(Date.now() - 2 * SETTLE_MS).toISOString();
  const rows = Array.from({ length: count }, (_, i) => {
    const instant = `2026-11-${String(1 + ((i * 7 + seed) % 30)).padStart(2, "0")}T${String(8 + (i % 10)).padStart(2, "0")}:15:00+01:00`;
    return {
      id: uuidv7(new Date()),
      centreId,
      arrivedAt: new Date(instant).toISOString(),
      localDay: localDateOf(instant, "Europe/Paris"),
      localHour: zonedDateTime(instant, "Europe/Paris").hour,
      visitorCodeHash: null,
      ageBand: (["18-59", "60+", "12-17"] as const)[(i + seed) % 3],
      gender: (["female", "male"] as const)[(i * seed) % 2],
      languages: [],
      firstVisit: null,
      idempotencyKey: null,
      recordedBy: null,
      recordKey: 1 + ((i * 2_654_435_761 + seed * 97) % 4_294_967_295),
      createdAt: at,
      updatedAt: at,
    };
  });
  for (let i = 0; i < rows.length; i += 6) await into.insert(visits).values(rows.slice(i, i + 6));
}

/** A service of the centre, written to its own database (the services routes are converted elsewhere). */
async function givenServiceIn(into: Db, centreId: string, partnerId: string, name: string) {
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
    schedule: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
    translations: {},
    ticketQueue: false,
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

const rollupNow = () => new Date(Date.now() + SETTLE_MS);

async function slugOf(centreId: string): Promise<string> {
  const [row] = await db.select({ slug: centres.slug }).from(centres).where(eq(centres.id, centreId));
  return row?.slug ?? "";
}

/** A centre's stored figures in a database, as `[grain, first day]`, with a check that none holds codes. */
async function figuresOf(into: Db, centreId: string) {
  const rows = await into.select().from(visitPeriodFigures).where(eq(visitPeriodFigures.centreId, centreId));
  for (const row of rows) expect(JSON.parse(row.aggregate).visitorCodes).toEqual([]);
  return rows.map((row) => [row.grain, row.start]);
}

async function watermarks(into: Db, job: string) {
  return into.select().from(jobWatermarks).where(eq(jobWatermarks.job, job));
}

/** The report's items without the head that names the centres. */
function itemsOf(body: { items: unknown[] }) {
  return body.items;
}

/** Referrals sent today to a partner, written to the centre's database (the referral routes are converted elsewhere). */
async function givenReferralsIn(into: Db, centreId: string, partnerId: string, count: number) {
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    await into.insert(referrals).values({
      id: uuidv7(new Date()),
      centreId,
      partnerId,
      need: "accommodation",
      status: "requested",
      languages: [],
      requestedAt: at,
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
  }
}

describe("reports and jobs with one database per centre", () => {
  it("counts each centre's referrals from its own database, and a partner of one centre reads that centre only", async () => {
    const a = await givenCentreIn("CENTRE_A");
    const b = await givenCentreIn("CENTRE_B");
    const samu = await givenPartnerIn("CENTRE_A", a, "Samu social");
    const aurore = await givenPartnerIn("CENTRE_B", b, "Aurore");
    await givenReferralsIn(centreDb("CENTRE_A"), a, samu, 6);
    await givenReferralsIn(centreDb("CENTRE_B"), b, aurore, 3);
    const { start, end } = periodOfDate("month", localDateOf(new Date(), "Europe/Paris"));
    const path = (ids: string, extra = "") =>
      `/api/reports/referrals?centreIds=${ids}&from=${start}&to=${end}${extra}`;
    const admin = await signedIn("admin");
    const accommodation = (body: { byNeed: { need: string; count: { value?: number } }[] }) =>
      body.byNeed.find((row) => row.need === "accommodation")?.count.value;
    const both = await api("GET", path(`${a},${b}`, "&disclosure=none"), { as: admin });
    expect(both.status).toBe(200);
    expect(accommodation(both.body)).toBe(9);
    expect(accommodation((await api("GET", path(a, "&disclosure=none"), { as: admin })).body)).toBe(6);
    const names = both.body.byPartner.map((row: { partnerName: string }) => row.partnerName).sort();
    expect(names).toEqual(["Aurore", "Samu social"]);

    // A partner of A: its own organisation's figures at A (protected), and 403 for B, as on one database.
    const token = await partnerToken(a, samu);
    const own = await api("GET", path(a), { as: token });
    expect(own.status).toBe(200);
    expect(own.body.protection).toBe("cell-key");
    expect((await api("GET", path(b), { as: token })).status).toBe(403);
    const coordinatorA = await signedIn("coordinator", { centreId: a });
    expect((await api("GET", path(b), { as: coordinatorA })).status).toBe(403);
    expect((await api("GET", path(a), { as: coordinatorA })).status).toBe(200);
  });

  it("rolls each centre up in its own database, and the visits report across three equals the sum and the single layout", async () => {
    const split = await Promise.all(BINDINGS.map((binding) => givenCentreIn(binding)));
    const single = await Promise.all(BINDINGS.map(() => givenCentre()));
    for (const [i, binding] of BINDINGS.entries()) {
      await givenArrivals(centreDb(binding), split[i] as string, i + 1, 20 + i * 7);
      await givenArrivals(db, single[i] as string, i + 1, 20 + i * 7);
    }
    const showersA = await givenServiceIn(
      centreDb("CENTRE_A"),
      split[0] as string,
      await givenPartnerIn("CENTRE_A", split[0] as string),
      "Douches A",
    );
    const mealsC = await givenServiceIn(
      centreDb("CENTRE_C"),
      split[2] as string,
      await givenPartnerIn("CENTRE_C", split[2] as string),
      "Repas C",
    );
    const admin = await signedIn("admin");
    const run = await api("POST", "/api/jobs/rollup", { as: admin });
    expect(run.status).toBe(200);
    for (const id of [...split, ...single]) {
      expect(run.body.centres).toContainEqual(expect.objectContaining({ centreId: id, status: "succeeded" }));
    }

    // Routing: each centre's partials and watermark in its own database, none in the directory or another.
    for (const [i, binding] of BINDINGS.entries()) {
      const id = split[i] as string;
      const own = await centreDb(binding).select().from(visitRollups).where(eq(visitRollups.centreId, id));
      expect(own.length).toBeGreaterThan(10);
      expect(await db.select().from(visitRollups).where(eq(visitRollups.centreId, id))).toEqual([]);
      for (const other of BINDINGS.filter((b) => b !== binding)) {
        expect(
          await centreDb(other).select().from(visitRollups).where(eq(visitRollups.centreId, id)),
        ).toEqual([]);
      }
      expect(await watermarks(centreDb(binding), `${ROLLUP_JOB}:${id}`)).toHaveLength(1);
      expect(await watermarks(db, `${ROLLUP_JOB}:${id}`)).toEqual([]);
      // The run's record is in the directory, where the job list reads it.
      expect(await db.select().from(jobRuns).where(eq(jobRuns.centreId, id))).toHaveLength(1);
      expect(await centreDb(binding).select().from(jobRuns).where(eq(jobRuns.centreId, id))).toEqual([]);
    }

    const path = (ids: string[], query: string) =>
      `/api/reports/visits?centreIds=${ids.join(",")}&from=2026-11-01&to=2026-11-30&${query}`;
    const exact = await api("GET", path(split, "period=day&disclosure=none"), { as: admin });
    const exactSingle = await api("GET", path(single, "period=day&disclosure=none"), { as: admin });
    expect(exact.status).toBe(200);
    expect(itemsOf(exact.body)).toEqual(itemsOf(exactSingle.body));
    const total = (body: { items: { visits: number }[] }) =>
      body.items.reduce((n, item) => n + item.visits, 0);
    expect(total(exact.body)).toBe(20 + 27 + 34);
    let sum = 0;
    for (const id of split) {
      sum += total((await api("GET", path([id], "period=day&disclosure=none"), { as: admin })).body);
    }
    expect(sum).toBe(total(exact.body));

    // Protected: the same cells, the same perturbation, as the single layout.
    const month = await api("GET", path(split, "period=month"), { as: admin });
    const monthSingle = await api("GET", path(single, "period=month"), { as: admin });
    expect(month.status).toBe(200);
    expect(month.body.protection).toBe("cell-key");
    expect(itemsOf(month.body)).toEqual(itemsOf(monthSingle.body));
    const arrivals = await api("GET", path(split, "disclosure=none").replace("visits", "arrivals"), {
      as: admin,
    });
    const arrivalsSingle = await api("GET", path(single, "disclosure=none").replace("visits", "arrivals"), {
      as: admin,
    });
    expect(arrivals.status).toBe(200);
    expect(arrivals.body.table.grandTotal).toEqual({ value: 20 + 27 + 34, suppressed: false });
    expect(arrivals.body.table).toEqual(arrivalsSingle.body.table);

    // The services report lists each centre's services, read from each centre's database.
    const servicesPath = path(split, "disclosure=none&period=month").replace("visits", "services");
    const servicesReport = await api("GET", servicesPath, { as: admin });
    expect(servicesReport.status).toBe(200);
    const named = servicesReport.body.items.map((row: { serviceId: string; serviceName: string }) => [
      row.serviceId,
      row.serviceName,
    ]);
    expect(named).toEqual(
      expect.arrayContaining([
        [showersA, "Douches A"],
        [mealsC, "Repas C"],
      ]),
    );
    expect((await api("GET", `${servicesPath}&serviceId=${mealsC}`, { as: admin })).status).toBe(200);
    const otherCentres = path([split[1] as string], "disclosure=none&period=month").replace(
      "visits",
      "services",
    );
    expect((await api("GET", `${otherCentres}&serviceId=${mealsC}`, { as: admin })).status).toBe(404);
  });

  it("runs the nightly work of each centre in its own database, month partials into the figures, one broken database failing alone", async () => {
    const [a, b, c] = await Promise.all(BINDINGS.map((binding) => givenCentreIn(binding)));
    for (const [i, binding] of BINDINGS.entries()) {
      await givenArrivals(centreDb(binding), [a, b, c][i] as string, i + 3, 12);
    }
    // CENTRE_B's database answers every query with a D1 error.
    const broken = {
      prepare: () => {
        throw new Error("D1_ERROR: database unavailable");
      },
      batch: async () => {
        throw new Error("D1_ERROR: database unavailable");
      },
      exec: async () => {
        throw new Error("D1_ERROR: database unavailable");
      },
    } as unknown as D1Database;
    const at = rollupNow();
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: at.getTime() }, {
      ...env,
      CENTRE_B: broken,
      JOB_QUEUE: undefined,
    } as never);

    const runs = await db
      .select()
      .from(jobRuns)
      .where(inArray(jobRuns.centreId, [a, b, c] as string[]));
    const of = (id: string | undefined) =>
      runs
        .filter((run) => run.centreId === id)
        .map((run) => [run.job, run.status, run.errorKind])
        .sort();
    for (const [id, binding] of [
      [a, "CENTRE_A"],
      [c, "CENTRE_C"],
    ] as const) {
      expect(of(id)).toEqual([
        [PURGE_JOB, "succeeded", null],
        [ROLLUP_JOB, "succeeded", null],
      ]);
      // The month, with its visitor codes, and the merge's watermark are in the centre's own database; the
      // ended November's figures, without codes, in the figures database (the directory here).
      const months = await centreDb(binding)
        .select()
        .from(visitMonthRollups)
        .where(eq(visitMonthRollups.centreId, id as string));
      expect(months.map((m) => m.month)).toEqual(["2026-11"]);
      expect(await watermarks(centreDb(binding), `month-partials:${id}`)).toHaveLength(1);
      expect(await figuresOf(db, id as string)).toContainEqual(["month", "2026-11-01"]);
    }
    expect(
      await db
        .select()
        .from(visitMonthRollups)
        .where(inArray(visitMonthRollups.centreId, [a, b, c] as string[])),
    ).toEqual([]);
    for (const binding of BINDINGS) {
      expect(await centreDb(binding).select().from(visitPeriodFigures)).toEqual([]);
      expect(await centreDb(binding).select().from(jobRuns)).toEqual([]);
    }
    // Across A and C by month: the stored November partials (from the figures), equal to the day path.
    const admin = await signedIn("admin");
    const across = (period: string) =>
      api(
        "GET",
        `/api/reports/visits?centreIds=${a},${c}&from=2026-11-01&to=2026-11-30&period=${period}&disclosure=none`,
        {
          as: admin,
        },
      );
    const byMonth = await across("month");
    expect(byMonth.body.pastMonthsAsOf).toEqual(expect.any(String));
    expect(byMonth.body.items).toHaveLength(1);
    const byDay = await across("day");
    expect(byMonth.body.items[0].visits).toBe(24);
    expect(byDay.body.items.reduce((n: number, item: { visits: number }) => n + item.visits, 0)).toBe(24);
    expect(of(b)).toEqual([[ROLLUP_JOB, "failed", "database"]]);
    expect(
      await centreDb("CENTRE_B")
        .select()
        .from(visitRollups)
        .where(eq(visitRollups.centreId, b as string)),
    ).toEqual([]);

    // The admin's "run it now" with the same broken database: B fails in the answer, A and C succeed.
    const now = await callHandler("POST", "/api/jobs/rollup", {
      as: admin,
      bindings: { CENTRE_B: broken } as never,
    });
    expect(now.status).toBe(200);
    const answer = now.body as { centres: { centreId: string; status: string }[] };
    expect(answer.centres.find((run) => run.centreId === b)?.status).toBe("failed");
    expect(answer.centres.find((run) => run.centreId === a)?.status).toBe("succeeded");

    // Once B's database is back, the next run rolls it up in its own database.
    await api("POST", "/api/jobs/rollup", { as: admin });
    const own = await centreDb("CENTRE_B")
      .select()
      .from(visitRollups)
      .where(eq(visitRollups.centreId, b as string));
    expect(own.length).toBeGreaterThan(5);

    // A month rebuilt on request: re-rolled and stored in B's database, its figures in the figures database.
    const rebuilt = await api("POST", "/api/jobs/rebuild", {
      as: admin,
      body: { centreId: b, month: "2026-11" },
    });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.daysRolled).toBe(own.length);
    expect(
      await centreDb("CENTRE_B")
        .select()
        .from(visitMonthRollups)
        .where(eq(visitMonthRollups.centreId, b as string)),
    ).toHaveLength(1);
    expect(await figuresOf(db, b as string)).toContainEqual(["month", "2026-11-01"]);

    // The admin's purge covers every centre database (a dry run counts, and is recorded in the directory).
    const purge = await api("POST", "/api/jobs/retention-purge", { as: admin, body: { dryRun: true } });
    expect(purge.status).toBe(200);
    expect(purge.body.dryRun).toBe(true);
  });
});

async function eventOf(as: Caller, centreId: string, title: string) {
  const created = await api("POST", "/api/events", {
    as,
    body: { centreId, kind: "weather", title, startsOn: "2026-11-09" },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** A lesson's body as the lessons page sends it, citing `evidence` (none by default). */
function lessonBody(centreId: string, evidence: { kind: string; reference: string }[] = []) {
  return {
    centreId,
    type: "critical_point",
    theme: "premises_logistics",
    title: "Morning queue for the showers",
    statement: {
      context: "a cold week",
      situation: "the showers were full at opening",
      result: "people waited outside",
      cause: "no morning slots were reserved",
      recommendation: "reserve morning slots in cold weeks",
    },
    evidence: evidence.map((item) => ({ ...item, description: "cited", strength: "moderate" })),
    contributors: ["centre_team"],
    chsCommitments: [2],
    periodStart: "2026-11-01",
    periodEnd: "2026-11-07",
  };
}

async function lessonOf(as: Caller, centreId: string) {
  const created = await api("POST", "/api/lessons", { as, body: lessonBody(centreId) });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function feedbackOf(centreId: string, address: string) {
  const sent = await api("POST", `/api/public/centres/${await slugOf(centreId)}/feedback`, {
    body: { text: "Plus de créneaux de douche le matin", language: "fr", fillSeconds: 25 },
    headers: { "cf-connecting-ip": address },
  });
  expect(sent.status).toBe(202);
}

/** What a coordinator of `own` gets when reaching for `other`'s event, lesson, feedback, audit and reports. */
async function reachFor(
  as: Caller,
  other: { centreId: string; event: string; lesson: string; feedback: string },
) {
  const statuses = await Promise.all([
    api("GET", `/api/events/${other.event}`, { as }),
    api("PUT", `/api/events/${other.event}`, {
      as,
      body: { centreId: other.centreId, kind: "weather", title: "x", startsOn: "2026-11-09" },
    }),
    api("POST", `/api/events/${other.event}/archive`, { as }),
    api("GET", `/api/lessons/${other.lesson}`, { as }),
    api("GET", `/api/lessons/${other.lesson}/history`, { as }),
    api("POST", `/api/lessons/${other.lesson}/archive`, { as }),
    api("POST", `/api/feedback/${other.feedback}/moderation`, { as, body: { status: "approved" } }),
    api("GET", `/api/feedback?centreId=${other.centreId}`, { as }),
    api("GET", `/api/feedback/summary?centreId=${other.centreId}`, { as }),
    api("GET", `/api/events?centreId=${other.centreId}`, { as }),
    api("GET", `/api/lessons/guide?centreId=${other.centreId}`, { as }),
    api("GET", `/api/reports/visits?centreId=${other.centreId}&from=2026-11-01&to=2026-11-30&period=month`, {
      as,
    }),
  ]);
  return statuses.map((response) => response.status);
}

describe("the coordinators' records with one database per centre", () => {
  it("keeps the figures in a database of their own, with a copy of each centre's row, and the months with the centre", async () => {
    const [a, b] = await Promise.all([givenCentreIn("CENTRE_A"), givenCentreIn("CENTRE_B")]);
    await givenArrivals(centreDb("CENTRE_A"), a, 11, 9);
    await givenArrivals(centreDb("CENTRE_B"), b, 12, 8);
    // CENTRE_C plays a `FIGURES` database: neither the directory nor either centre's.
    const figuresEnv = { FIGURES: env.CENTRE_C, JOB_QUEUE: undefined };
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: rollupNow().getTime() }, {
      ...env,
      ...figuresEnv,
    } as never);
    const figures = centreDb("CENTRE_C");
    for (const [id, binding] of [
      [a, "CENTRE_A"],
      [b, "CENTRE_B"],
    ] as const) {
      const months = await centreDb(binding)
        .select()
        .from(visitMonthRollups)
        .where(eq(visitMonthRollups.centreId, id));
      expect(months.map((m) => m.month)).toEqual(["2026-11"]);
      expect(await figuresOf(figures, id)).toContainEqual(["month", "2026-11-01"]);
      expect(await figuresOf(db, id)).toEqual([]);
      // CENTRE_C plays the figures only: no month of A or B, with their codes, is there.
      expect(
        await figures.select().from(visitMonthRollups).where(eq(visitMonthRollups.centreId, id)),
      ).toEqual([]);
      expect(await watermarks(centreDb(binding), `month-partials:${id}`)).toHaveLength(1);
      expect((await figures.select().from(centres).where(eq(centres.id, id))).map((row) => row.slug)).toEqual(
        [await slugOf(id)],
      );
    }
    const admin = await signedIn("admin");
    const byMonth = await callHandler(
      "GET",
      `/api/reports/visits?centreIds=${a},${b}&from=2026-11-01&to=2026-11-30&period=month&disclosure=none`,
      { as: admin, bindings: figuresEnv },
    );
    expect(byMonth.status).toBe(200);
    expect((byMonth.body as { pastMonthsAsOf: string | null }).pastMonthsAsOf).toEqual(expect.any(String));
    expect((byMonth.body as { items: { visits: number }[] }).items.map((item) => item.visits)).toEqual([17]);
  });

  it("keeps events, lessons, feedback and their audit in each centre's database, out of another centre's reach", async () => {
    const layouts = {
      split: [await givenCentreIn("CENTRE_A"), await givenCentreIn("CENTRE_B")],
      single: [await givenCentre(), await givenCentre()],
    };
    const seen: Record<string, number[]> = {};
    for (const [layout, [a, b]] of Object.entries(layouts) as [string, [string, string]][]) {
      const coordinatorA = await signedIn("coordinator", { centreId: a });
      const coordinatorB = await signedIn("coordinator", { centreId: b });
      const eventA = await eventOf(coordinatorA, a, "Grand froid A");
      const eventB = await eventOf(coordinatorB, b, "Grand froid B");
      const lessonA = await lessonOf(coordinatorA, a);
      const lessonB = await lessonOf(coordinatorB, b);
      await feedbackOf(a, `198.51.100.${layout === "split" ? 1 : 2}`);
      await feedbackOf(b, `198.51.100.${layout === "split" ? 3 : 4}`);
      const feedbackB = (await api("GET", `/api/feedback?centreId=${b}`, { as: coordinatorB })).body.items[0]
        .id;

      // Function: A's coordinator works on A's records end to end.
      const listed = await api("GET", "/api/events", { as: coordinatorA });
      expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([eventA]);
      expect(
        (await api("GET", "/api/lessons", { as: coordinatorA })).body.items.map((l: { id: string }) => l.id),
      ).toEqual([lessonA]);
      const feedbackA = (await api("GET", `/api/feedback?centreId=${a}`, { as: coordinatorA })).body.items;
      expect(feedbackA).toHaveLength(1);
      const moderated = await api("POST", `/api/feedback/${feedbackA[0].id}/moderation`, {
        as: coordinatorA,
        body: { status: "approved" },
      });
      expect(moderated.status).toBe(200);
      const reviewed = await api("POST", `/api/lessons/${lessonA}/status`, {
        as: coordinatorA,
        body: { status: "reviewed" },
      });
      expect(reviewed.status).toBe(200);
      const updated = await api("PUT", `/api/events/${eventA}`, {
        as: coordinatorA,
        body: { centreId: a, kind: "weather", title: "Grand froid, suite", startsOn: "2026-11-09" },
      });
      expect(updated.body.title).toBe("Grand froid, suite");
      const history = await api("GET", `/api/lessons/${lessonA}/history`, { as: coordinatorA });
      expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(["create", "status"]);
      const guide = await api("GET", `/api/lessons/guide?centreId=${a}`, { as: coordinatorA });
      expect(guide.status).toBe(200);
      expect(guide.headers.get("content-type")).toContain("text/markdown");
      // Evidence citing the centre's own event and approved feedback is checked in its database; B's is not A's.
      const citing = (event: string) =>
        lessonBody(a, [
          { kind: "event", reference: event },
          { kind: "feedback", reference: feedbackA[0].id },
        ]);
      const cited = await api("PUT", `/api/lessons/${lessonA}`, { as: coordinatorA, body: citing(eventA) });
      expect(cited.status).toBe(200);
      expect(
        (await api("PUT", `/api/lessons/${lessonA}`, { as: coordinatorA, body: citing(eventB) })).status,
      ).toBe(422);
      const summary = await api("GET", `/api/feedback/summary?centreId=${a}`, { as: coordinatorA });
      expect(summary.body).toMatchObject({ centreId: a, approved: 1 });

      // Isolation: the same answers as the single layout for B's records, and B's rows never in A's reads.
      seen[layout] = await reachFor(coordinatorA, {
        centreId: b,
        event: eventB,
        lesson: lessonB,
        feedback: feedbackB,
      });
      const audit = await api("GET", "/api/audit?limit=200", {
        as: await signedIn("admin", { centreId: a }),
      });
      expect(audit.status).toBe(200);
      const audited = audit.body.items.map((entry: { entityId: string }) => entry.entityId);
      expect(audited).toEqual(expect.arrayContaining([eventA, lessonA, feedbackA[0].id]));
      for (const id of [eventB, lessonB, feedbackB]) expect(audited).not.toContain(id);
      expect(audit.body.items.every((entry: { centreId: string | null }) => entry.centreId === a)).toBe(true);

      if (layout !== "split") continue;
      // Routing: the rows and their audit entries in A's database, none in the directory or B's.
      for (const [table, id] of [
        [events, eventA],
        [lessons, lessonA],
        [feedback, feedbackA[0].id],
      ] as const) {
        expect(await centreDb("CENTRE_A").select().from(table).where(eq(table.id, id))).toHaveLength(1);
        expect(await db.select().from(table).where(eq(table.id, id))).toEqual([]);
        expect(await centreDb("CENTRE_B").select().from(table).where(eq(table.id, id))).toEqual([]);
        expect(
          (await centreDb("CENTRE_A").select().from(auditLog).where(eq(auditLog.entityId, id))).length,
        ).toBeGreaterThan(0);
        expect(await db.select().from(auditLog).where(eq(auditLog.entityId, id))).toEqual([]);
      }
      // The feedback form's rate limits stay in the directory.
      expect(
        await db
          .select()
          .from(rateLimits)
          .where(eq(rateLimits.key, `feedback:centre:${a}`)),
      ).toHaveLength(1);
      expect(await centreDb("CENTRE_A").select().from(rateLimits)).toEqual([]);
    }
    expect(seen.split).toEqual(seen.single);
    expect(seen.split?.every((status) => status === 403 || status === 404)).toBe(true);
  });

  it("pages an admin's list of every centre's events and lessons across the databases, in id order", async () => {
    const a = await givenCentreIn("CENTRE_A");
    const c = await givenCentreIn("CENTRE_C");
    const coordinatorA = await signedIn("coordinator", { centreId: a });
    const coordinatorC = await signedIn("coordinator", { centreId: c });
    const written = [];
    for (let i = 0; i < 3; i++) {
      written.push(await eventOf(coordinatorA, a, `A ${i}`));
      written.push(await eventOf(coordinatorC, c, `C ${i}`));
    }
    const admin = await signedIn("admin");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
        await api("GET", `/api/events?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { as: admin });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((event) => event.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(written));
    const lessonsSeen = (await api("GET", "/api/lessons?limit=200", { as: admin })).body.items.map(
      (lesson: { id: string }) => lesson.id,
    );
    const lessonA = await lessonOf(coordinatorA, a);
    const lessonC = await lessonOf(coordinatorC, c);
    const after = (await api("GET", "/api/lessons?limit=200", { as: admin })).body.items.map(
      (lesson: { id: string }) => lesson.id,
    );
    expect(after).toEqual([...lessonsSeen, lessonA, lessonC].sort());
  });

  it("pages the audit log across the directory and the centre databases, newest first, without repeats", async () => {
    const a = await givenCentreIn("CENTRE_A");
    const admin = await signedIn("admin", { centreId: a });
    const coordinator = await signedIn("coordinator", { centreId: a });
    const written = [];
    for (let i = 0; i < 5; i++) written.push(await eventOf(coordinator, a, `Event ${i}`));
    // A directory write about the same centre: its update, audited in the directory.
    const centre = (await api("GET", `/api/centres/${a}`, { as: admin })).body;
    const { id: _id, createdAt: _c, updatedAt: _u, archivedAt: _a, ...input } = centre;
    expect(
      (await api("PUT", `/api/centres/${a}`, { as: admin, body: { ...input, name: "Halte A" } })).status,
    ).toBe(200);
    // Two databases to merge: the events' entries in A's database, the centre's update in the directory.
    expect(
      await centreDb("CENTRE_A").select().from(auditLog).where(inArray(auditLog.entityId, written)),
    ).toHaveLength(5);
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, a))).toHaveLength(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        body: { items: { entity: string; at: string; id: number }[]; nextCursor: string | null };
      } = await api("GET", `/api/audit?centreId=${a}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        as: admin,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((entry) => `${entry.entity}:${entry.at}:${entry.id}`));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen[0]?.startsWith("centre:")).toBe(true);
    const times = seen.map((entry) => entry.split(":").slice(1, -1).join(":"));
    expect(times).toEqual([...times].sort().reverse());
  });

  it("serves the public directory from the centre's database and writes a centre's copy before the directory", async () => {
    const a = await givenCentreIn("CENTRE_A");
    const b = await givenCentreIn("CENTRE_B");
    const partner = await givenPartnerIn("CENTRE_A", a, "Aurore");
    await givenServiceIn(centreDb("CENTRE_A"), a, partner, "Douches A");
    const partnerB = await givenPartnerIn("CENTRE_B", b, "Samu social");
    await givenServiceIn(centreDb("CENTRE_B"), b, partnerB, "Douches B");
    const slug = await slugOf(a);
    const directory = await api("GET", `/api/public/centres/${slug}/services`);
    expect(directory.status).toBe(200);
    expect(directory.body.services.map((s: { name: string }) => s.name)).toEqual(["Douches A"]);
    const hsds = await api("GET", `/api/public/centres/${slug}/hsds.json`);
    expect(hsds.status).toBe(200);
    expect(JSON.stringify(hsds.body)).toContain("Douches A");
    expect(JSON.stringify(hsds.body)).not.toContain("Douches B");

    const admin = await signedIn("admin");
    const centre = (await api("GET", `/api/centres/${a}`, { as: admin })).body;
    const { id: _id, createdAt: _c, updatedAt: _u, archivedAt: _a, ...input } = centre;
    const updated = await api("PUT", `/api/centres/${a}`, {
      as: admin,
      body: { ...input, name: "La Halte, Porte de la Chapelle", retentionMonths: 18 },
    });
    expect(updated.status).toBe(200);
    const [copy] = await centreDb("CENTRE_A").select().from(centres).where(eq(centres.id, a));
    expect(copy).toMatchObject({
      name: "La Halte, Porte de la Chapelle",
      retentionMonths: 18,
      d1Binding: "CENTRE_A",
    });
    const archived = await api("POST", `/api/centres/${a}/archive`, { as: admin });
    expect(archived.status).toBe(200);
    const [archivedCopy] = await centreDb("CENTRE_A").select().from(centres).where(eq(centres.id, a));
    expect(archivedCopy?.archivedAt).toBe(archived.body.archivedAt);
    expect((await api("GET", `/api/public/centres/${slug}/services`)).status).toBe(404);
    // B's copy untouched, and no copy of A anywhere but its own database.
    expect(await centreDb("CENTRE_B").select().from(centres).where(eq(centres.id, a))).toEqual([]);
    const [bCopy] = await centreDb("CENTRE_B").select().from(centres).where(eq(centres.id, b));
    expect(bCopy?.archivedAt).toBeNull();
  });
});

// Last in the file: a centre whose binding the Worker lacks stays in the directory, and every read of
// "all centres" after it answers 503 (one database missing is never served as an empty one).
describe("a centre whose database the Worker lacks", () => {
  it("runs a centre's queued jobs in its own database, a centre whose binding the Worker lacks failing alone", async () => {
    const a = await givenCentreIn("CENTRE_A");
    await givenArrivals(centreDb("CENTRE_A"), a, 11, 9);
    const lost = await givenCentre();
    await db.update(centres).set({ d1Binding: "CENTRE_ZZ" }).where(eq(centres.id, lost));
    const scheduledTime = rollupNow().getTime();
    const messages = [a, lost].map((centreId, i) => ({
      id: `split-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { job: "rollup", centreId, scheduledTime, nightly: true } satisfies CentreJobMessage,
    }));
    const batch = createMessageBatch<CentreJobMessage>("halte-jobs", messages);
    // No jobs queue bound: the nightly roll-up's purge and month merge run in the same invocation.
    await consumeJobQueue(batch, { ...env, JOB_QUEUE: undefined } as never);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(["split-0"]);
    expect(result.retryMessages).toEqual([{ msgId: "split-1" }]);

    const runs = await db
      .select()
      .from(jobRuns)
      .where(inArray(jobRuns.centreId, [a, lost]));
    expect(
      runs
        .filter((run) => run.centreId === a)
        .map((run) => [run.job, run.status])
        .sort(),
    ).toEqual([
      [PURGE_JOB, "succeeded"],
      [ROLLUP_JOB, "succeeded"],
    ]);
    expect(runs.filter((run) => run.centreId === lost)).toMatchObject([
      { job: ROLLUP_JOB, status: "failed", errorKind: "other" },
    ]);
    expect(
      (await centreDb("CENTRE_A").select().from(visitRollups).where(eq(visitRollups.centreId, a))).length,
    ).toBeGreaterThan(3);
    expect(
      await centreDb("CENTRE_A").select().from(visitMonthRollups).where(eq(visitMonthRollups.centreId, a)),
    ).toHaveLength(1);
    expect(await figuresOf(db, a)).toContainEqual(["month", "2026-11-01"]);
    expect(await watermarks(centreDb("CENTRE_A"), `${ROLLUP_JOB}:${a}`)).toHaveLength(1);
    expect(await watermarks(centreDb("CENTRE_A"), `month-partials:${a}`)).toHaveLength(1);

    // The admin's purge goes on past the missing database: the others purged, a failed run in its name.
    const admin = await signedIn("admin");
    const purge = await api("POST", "/api/jobs/retention-purge", { as: admin, body: { dryRun: false } });
    expect(purge.status).toBe(200);
    const failed = await db.select().from(jobRuns).where(eq(jobRuns.centreId, lost));
    expect(failed.map((run) => [run.job, run.status])).toContainEqual([PURGE_JOB, "failed"]);
  });
});
