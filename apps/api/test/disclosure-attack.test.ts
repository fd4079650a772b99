// Issue 11's attacker against the real Worker and a real local D1: eight weeks of a seeded centre (arrivals
// through the door's batch route, service uses with them, referrals to three partners), rolled up by the
// scheduled job, then every answer an observer may get on the publication grid — the visits report by day,
// week, month, quarter and year, arrivals and referrals for every grid period, the referral report under
// every partner, need and status filter — written as constraints on the true counts of the finest cells.
// No true small count (1…k−1) may be pinned. The same attacker is run on many random centres in core
// (packages/core/test/disclosure-attack.test.ts); this one proves the Worker's wiring keeps the guarantee.
import {
  type AgeBand,
  addDays,
  type DisclosedTable,
  type Gender,
  parsePeriod,
  periodOfDate,
  perturbationTable,
  ReferralNeed,
  ReferralStatus,
} from "@halte/core";
import { referrals } from "@halte/db";
import { describe, expect, it } from "vitest";
import {
  Attacker,
  atom,
  daysOnWeekday,
  observeTable,
} from "../../../packages/core/test/disclosure-attacker.js";
import { uuidv7 } from "../src/ids.js";
import { db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { type Arrival, givenArrivals, report, rollUp } from "./reports-helpers.js";
import { givenService } from "./visits-helpers.js";

const FIRST = "2026-03-02"; // a Monday: ISO weeks 2026W10 … 2026W17
const DAYS = Array.from({ length: 56 }, (_, i) => addDays(FIRST, i));
const LAST = DAYS.at(-1) as string;
const AGES: (AgeBand | undefined)[] = ["18-59", "18-59", "18-59", "18-59", "60+", "12-17", "0-4", undefined];
const GENDERS: (Gender | undefined)[] = ["male", "male", "male", "female", "female", "other", undefined];
const NEEDS = ReferralNeed.options;
const STATUSES = ReferralStatus.options;

/** A deterministic stream, so a failure can be replayed. */
function stream(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** Every grid period that overlaps the eight weeks, with its days in them. */
function gridPeriods(): { code: string; start: string; end: string; days: string[] }[] {
  const found = new Map<string, { code: string; start: string; end: string; days: string[] }>();
  for (const type of ["day", "week", "month", "quarter", "year"] as const) {
    for (const day of DAYS) {
      const period = periodOfDate(type, day);
      const known = found.get(period.code) ?? {
        code: period.code,
        start: period.start,
        end: period.end,
        days: [],
      };
      known.days.push(day);
      found.set(period.code, known);
    }
  }
  return [...found.values()];
}

function daysOfPeriod(code: string): string[] {
  const period = parsePeriod(code);
  if (!period.ok) throw new Error(`bad period ${code}`);
  return DAYS.filter((day) => day >= period.value.start && day <= period.value.end);
}

describe("an observer who asks every question the API allows over eight weeks", () => {
  it("cannot pin any true small count from all the answers together", async () => {
    const next = stream(20261207);
    const centreId = await givenCentre({ disclosureThreshold: 5, perturbationMaxNoise: 2 });
    const partners = [
      await givenPartner(centreId, "Samu social"),
      await givenPartner(centreId, "France terre d'asile"),
      await givenPartner(centreId, "Aurore"),
    ];
    const showers = await givenService(centreId, partners[0] as string, {
      name: "Douches",
      dailyCapacity: 40,
    });
    const reception = await signedIn("reception", { centreId });
    const arrivals: Arrival[] = [];
    for (const day of DAYS) {
      for (let n = 6 + next(14); n > 0; n--) {
        const hour = String(8 + next(9)).padStart(2, "0");
        const age = AGES[next(AGES.length)];
        const gender = GENDERS[next(GENDERS.length)];
        arrivals.push({
          at: `${day}T${hour}:${String(next(60)).padStart(2, "0")}:00Z`,
          ...(age === undefined ? {} : { age }),
          ...(gender === undefined ? {} : { gender }),
          ...(next(4) === 0 ? { uses: [{ serviceId: showers }] } : {}),
        });
      }
    }
    await givenArrivals(reception, centreId, arrivals);
    const truth = new Map<string, number>();
    const count = (name: string, by = 1) => truth.set(name, (truth.get(name) ?? 0) + by);
    const rows = [];
    for (const day of DAYS) {
      for (let n = next(4); n > 0; n--) {
        const hour = 10 + next(6);
        const at = `${day}T${String(hour).padStart(2, "0")}:00:00.000Z`;
        const status = STATUSES[next(STATUSES.length)] as (typeof STATUSES)[number];
        const need = NEEDS[next(NEEDS.length)] as (typeof NEEDS)[number];
        const partnerId = partners[next(3) === 0 ? next(3) : 0] as string;
        const outcome = status === "completed" || status === "failed" || status === "rejected";
        rows.push({
          id: uuidv7(new Date()),
          createdAt: at,
          updatedAt: at,
          centreId,
          partnerId,
          need,
          status,
          languages: [],
          requestedAt: status === "draft" ? null : at,
          closedAt: outcome ? `${day}T${String(hour + 2).padStart(2, "0")}:00:00.000Z` : null,
          version: 1,
        });
        count(atom.referral(day, need, partnerId, status));
      }
    }
    for (let i = 0; i < rows.length; i += 5) await db.insert(referrals).values(rows.slice(i, i + 5));
    await rollUp();

    // The truth of the door's cells, read as the coordinator's exact internal view.
    const coordinator = await signedIn("coordinator", { centreId });
    const exact = await report(
      `/api/reports/visits?centreId=${centreId}&period=day&from=${FIRST}&to=${LAST}&disclosure=none`,
      coordinator,
    );
    expect(exact.status).toBe(200);
    for (const item of exact.body.items) {
      for (const [age, genders] of Object.entries(
        item.byAgeBandGender as Record<string, Record<string, number>>,
      )) {
        for (const [gender, n] of Object.entries(genders)) count(atom.visit(item.period, age, gender), n);
      }
      count(atom.first(item.period), item.firstVisits);
      (item.byHour as number[]).forEach((n, h) => {
        count(atom.hour(item.period, String(h).padStart(2, "0")), n);
      });
    }

    const table = perturbationTable({ k: 5, maxNoise: 2 });
    if (!table.ok) throw new Error("bad parameters");
    const attacker = new Attacker(table.value);
    const observer = await signedIn("observer", { centreId });
    const ask = async (path: string) => {
      const answer = await report(path, observer);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      return answer.body;
    };
    const ageKeys = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"];
    const genderKeys = ["female", "male", "other", "unknown"];
    for (const day of DAYS) {
      attacker.equal(
        ageKeys.flatMap((age) => genderKeys.map((gender) => atom.visit(day, age, gender))),
        Array.from({ length: 24 }, (_, h) => atom.hour(day, String(h).padStart(2, "0"))),
      );
    }

    // Visits, cut by each period type over the grid periods that hold the eight weeks.
    for (const type of ["day", "week", "month", "quarter", "year"] as const) {
      const from = periodOfDate(type, FIRST).start;
      const to = periodOfDate(type, LAST).end;
      const body = await ask(`/api/reports/visits?centreId=${centreId}&period=${type}&from=${from}&to=${to}`);
      for (const item of body.items) {
        const days = daysOfPeriod(item.period);
        observeTable(attacker, item.visits, (age, gender) => days.map((d) => atom.visit(d, age, gender)));
        attacker.publish(days.map(atom.first), item.firstVisits);
      }
    }
    // Arrivals and referrals: one answer per grid period, referrals under every filter too.
    const filters = [
      "",
      ...partners.map((id) => `&partnerId=${id}`),
      ...NEEDS.map((need) => `&need=${need}`),
      ...STATUSES.map((status) => `&status=${status}`),
    ];
    for (const period of gridPeriods()) {
      const range = `centreId=${centreId}&from=${period.start}&to=${period.end}`;
      const arrivalsBody = await ask(`/api/reports/arrivals?${range}`);
      observeTable(attacker, arrivalsBody.table as DisclosedTable, (weekday, hour) =>
        daysOnWeekday(period.days, weekday).map((d) => atom.hour(d, hour)),
      );
      for (const filter of filters) {
        const body = await ask(`/api/reports/referrals?${range}${filter}`);
        const only = body.filters as { partnerId?: string; need?: string; status?: string };
        const cellAtoms = (
          needs: readonly string[],
          ofPartners: readonly string[],
          statuses: readonly string[],
        ) =>
          period.days.flatMap((d) =>
            needs
              .filter((n) => only.need === undefined || only.need === n)
              .flatMap((n) =>
                ofPartners
                  .filter((p) => only.partnerId === undefined || only.partnerId === p)
                  .flatMap((p) =>
                    statuses
                      .filter((s) => only.status === undefined || only.status === s)
                      .map((s) => atom.referral(d, n, p, s)),
                  ),
              ),
          );
        observeTable(attacker, body.needStatus, (need, status) => cellAtoms([need], partners, [status]));
        observeTable(attacker, body.partnerStatus, (partner, status) =>
          cellAtoms(NEEDS, [partner], [status]),
        );
        for (const outcome of body.timeToOutcome) {
          const statuses =
            outcome.outcome === "all" ? ["completed", "failed", "rejected"] : [outcome.outcome];
          attacker.publish(cellAtoms(NEEDS, partners, statuses), outcome.count);
        }
      }
    }
    attacker.propagate();
    const { small, pinned } = attacker.pinned(truth);
    expect(attacker.answers).toBeGreaterThan(3000);
    expect(small, "the centre has small cells to protect").toBeGreaterThan(300);
    expect(pinned).toEqual([]);
  }, 600_000);
});
