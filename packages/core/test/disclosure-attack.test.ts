// The attacker of issue 11, against the pure functions the Worker publishes with: a random centre over eight
// weeks, every answer a caller without raw access can get on the publication grid (every day, ISO week,
// month, quarter and year; visits, arrivals, services, referrals; every referral filter), written as
// constraints on the true counts of the finest cells, then checked: no true small count (1…k−1) is pinned,
// and averaging every estimate of a small cell recovers it no more often than a blind guess.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateReferrals,
  aggregateVisitsByDay,
  emptyVisitAggregate,
  type KeyedRecord,
  mergeVisitAggregates,
  type PerturbationTable,
  perturbationTable,
  publishArrivals,
  publishServiceReport,
  publishVisitPeriods,
  type Referral,
  ReferralNeed,
  ReferralStatus,
  referralFigures,
  type ServiceUse,
  type Visit,
  type VisitAggregate,
} from "../src/index.js";
import { type PeriodType, periodOfDate } from "../src/period.js";
import { addDays } from "../src/zoned-time.js";
import { Attacker, atom, daysOnWeekday, observeTable } from "./disclosure-attacker.js";

const CENTRE = "halte";
const ZONE = "Europe/Paris";
const FIRST = "2026-03-02"; // a Monday: eight ISO weeks, 2026W10 … 2026W17
const DAYS = Array.from({ length: 56 }, (_, i) => addDays(FIRST, i));
const AGES = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"] as const;
const GENDERS = ["female", "male", "other", "unknown"] as const;
const SERVICES = ["showers", "meals"];
const PARTNERS = ["samu", "ftda", "aurore"];
const NEEDS = ReferralNeed.options;
const STATUSES = ReferralStatus.options;

/** A small deterministic generator, so a failing seed can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    key: () => 1 + Math.floor(next() * (2 ** 32 - 1)),
    pick: <T>(items: readonly T[], weights?: readonly number[]): T => {
      if (weights === undefined) return items[Math.floor(next() * items.length)] as T;
      const total = weights.reduce((a, b) => a + b, 0);
      let u = next() * total;
      for (let i = 0; i < items.length; i++) {
        u -= weights[i] as number;
        if (u < 0) return items[i] as T;
      }
      return items[items.length - 1] as T;
    },
  };
}

interface Centre {
  visits: KeyedRecord<Visit>[];
  uses: KeyedRecord<ServiceUse>[];
  referrals: KeyedRecord<Referral>[];
}

/** A centre of a few tens of arrivals a day, mostly adult men, with rare groups that make small cells. */
function randomCentre(seed: number): Centre {
  const g = generator(seed);
  const at = (day: string, hour: number) =>
    `${day}T${String(hour).padStart(2, "0")}:${String(g.int(60)).padStart(2, "0")}:00+01:00`;
  const meta = (id: string, instant: string) => ({
    id,
    createdAt: instant,
    updatedAt: instant,
    centreId: CENTRE,
  });
  const centre: Centre = { visits: [], uses: [], referrals: [] };
  for (const day of DAYS) {
    const arrivals = 10 + g.int(40);
    for (let n = 0; n < arrivals; n++) {
      const arrivedAt = at(day, 8 + g.int(10));
      const id = `v-${day}-${n}`;
      const age = g.pick(AGES, [1, 2, 2, 30, 3, 8]);
      const gender = g.pick(GENDERS, [6, 20, 1, 4]);
      centre.visits.push({
        ...meta(id, arrivedAt),
        arrivedAt,
        visitorCodeHash: null,
        ageBand: age === "unknown" ? null : age,
        gender: gender === "unknown" ? null : gender,
        languages: g.next() < 0.2 ? [] : [g.pick(["fr", "ar", "ps", "prs", "ti", "so"], [5, 6, 4, 3, 2, 1])],
        firstVisit: g.next() < 0.1 ? true : null,
        idempotencyKey: null,
        recordKey: g.key(),
      });
      if (g.next() < 0.3) {
        centre.uses.push({
          ...meta(`u-${id}`, arrivedAt),
          serviceId: g.pick(SERVICES, [1, 3]),
          usedAt: arrivedAt,
          quantity: 1,
          visitId: id,
          source: "door",
          partnerId: null,
          recordKey: g.key(),
        });
      }
    }
    for (let n = g.int(4); n > 0; n--) {
      const createdAt = at(day, 9 + g.int(8)).replace("+01:00", "Z");
      const status = g.pick(STATUSES, [2, 4, 3, 2, 2, 1, 4, 1, 1, 1]);
      const outcome = status === "completed" || status === "failed" || status === "rejected";
      centre.referrals.push({
        ...meta(`r-${day}-${n}`, createdAt),
        partnerId: g.pick(PARTNERS, [4, 2, 1]),
        serviceId: null,
        need: g.pick(NEEDS),
        note: null,
        status,
        statusReason: null,
        statusNote: null,
        partnerReference: null,
        contact: null,
        consentId: null,
        ageBand: g.pick(["18-59", "60+", "12-17"] as const, [8, 1, 1]),
        gender: null,
        languages: [],
        requestedAt: status === "draft" ? null : createdAt,
        closedAt: outcome
          ? createdAt.replace(/T(\d\d)/, (_, h) => `T${String(Number(h) + 2).padStart(2, "0")}`)
          : null,
        erasedAt: null,
        version: 1,
        recordKey: g.key(),
      });
    }
  }
  return centre;
}

/**
 * Every grid period that overlaps the window: its code and its days in the window. The attacker is told
 * that nothing happened outside the eight weeks (a stronger attacker than one who would have to ask).
 */
function gridPeriods(): { type: PeriodType; code: string; days: string[] }[] {
  const periods = new Map<string, { type: PeriodType; code: string; days: string[] }>();
  for (const type of ["day", "week", "month", "quarter", "year"] as const) {
    for (const day of DAYS) {
      const period = periodOfDate(type, day);
      if (periods.has(period.code)) continue;
      const days: string[] = [];
      for (let d = period.start; d <= period.end; d = addDays(d, 1)) if (DAYS.includes(d)) days.push(d);
      periods.set(period.code, { type, code: period.code, days });
    }
  }
  return [...periods.values()];
}

const daily = {
  timeZone: ZONE,
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    opensAt: "08:00",
    closesAt: "19:00",
    capacity: 40,
  })),
  exceptions: [],
};

/** The attacker after every answer of the window, with the truth of every atom. */
function attack(centre: Centre, table: PerturbationTable) {
  const attacker = new Attacker(table);
  const truth = new Map<string, number>();
  const count = (name: string, by = 1) => truth.set(name, (truth.get(name) ?? 0) + by);
  const byDay = aggregateVisitsByDay(centre.visits, centre.uses, { timeZone: ZONE })[CENTRE] ?? {};
  for (const [day, partial] of Object.entries(byDay)) {
    for (const [age, genders] of Object.entries(partial.byAgeBandGender)) {
      for (const [gender, n] of Object.entries(genders ?? {})) count(atom.visit(day, age, gender), n ?? 0);
    }
    count(atom.first(day), partial.firstVisits);
    for (const [language, n] of Object.entries(partial.byLanguage)) count(atom.language(day, language), n);
    partial.byHour.forEach((n, h) => {
      count(atom.hour(day, String(h).padStart(2, "0")), n);
    });
    for (const [service, tally] of Object.entries(partial.services)) {
      count(atom.uses(day, service), tally.uses);
      count(atom.quantity(day, service), tally.quantity);
      for (const [age, genders] of Object.entries(tally.people?.byAgeBandGender ?? {})) {
        for (const [gender, group] of Object.entries(genders ?? {})) {
          count(atom.usesBy(day, service, age, gender), group?.uses ?? 0);
        }
      }
    }
  }
  const referralDay = (referral: Referral) => referral.createdAt.slice(0, 10);
  for (const referral of centre.referrals) {
    count(atom.referral(referralDay(referral), referral.need, referral.partnerId, referral.status));
  }

  // Every day's visits are one set of records, counted by age × gender and by hour: the attacker knows.
  for (const day of DAYS) {
    for (const service of SERVICES) {
      attacker.equal(
        AGES.flatMap((age) => GENDERS.map((gender) => atom.usesBy(day, service, age, gender))),
        [atom.uses(day, service)],
      );
    }
    attacker.equal(
      AGES.flatMap((age) => GENDERS.map((gender) => atom.visit(day, age, gender))),
      Array.from({ length: 24 }, (_, h) => atom.hour(day, String(h).padStart(2, "0"))),
    );
  }

  for (const period of gridPeriods()) {
    const days: Record<string, VisitAggregate> = {};
    let merged = emptyVisitAggregate();
    for (const day of period.days) {
      const partial = byDay[day];
      if (partial === undefined) continue;
      days[day] = partial;
      merged = mergeVisitAggregates(merged, partial);
    }
    // Visits: age × gender with margins, first visits, languages — each period checked against its days',
    // months' and quarters' own answers (step 8), as the visits report route publishes it.
    const [figures] = publishVisitPeriods(period.type, days, { [period.code]: merged }, table);
    if (figures === undefined) throw new Error(`no figures for ${period.code}`);
    observeTable(attacker, figures.visits, (age, gender) =>
      period.days.map((d) => atom.visit(d, age, gender)),
    );
    attacker.publish(period.days.map(atom.first), figures.firstVisits);
    for (const { language, count: cell } of figures.byLanguage) {
      attacker.publish(
        period.days.map((d) => atom.language(d, language)),
        cell,
      );
    }
    // Arrivals: weekday × hour over exactly this period.
    const arrivals = publishArrivals(period.type, days, table);
    observeTable(attacker, arrivals, (weekday, hour) =>
      daysOnWeekday(period.days, weekday).map((d) => atom.hour(d, hour)),
    );
    // Services, by the period's own type (a report cut into periods of that type over this one period).
    const services = SERVICES.map((id) => ({ id, name: id, schedule: daily }));
    const published = publishServiceReport(
      days,
      services,
      { from: period.days[0] as string, to: period.days.at(-1) as string, period: period.type },
      table,
    );
    for (const row of published.rows) {
      attacker.publish(
        period.days.map((d) => atom.uses(d, row.serviceId)),
        row.uses,
      );
      // Who used it: uses by age band × gender of their visit.
      observeTable(attacker, row.usesBy.ageBandGender, (age, gender) =>
        period.days.map((d) => atom.usesBy(d, row.serviceId, age, gender)),
      );
      attacker.publish(
        period.days.map((d) => atom.quantity(d, row.serviceId)),
        row.quantity,
      );
      attacker.publish(
        period.days.map((d) => atom.quantity(d, row.serviceId)),
        row.used,
      );
    }
    for (const total of published.totals) {
      attacker.publish(
        SERVICES.flatMap((s) => period.days.map((d) => atom.uses(d, s))),
        total.uses,
      );
      attacker.publish(
        SERVICES.flatMap((s) => period.days.map((d) => atom.quantity(d, s))),
        total.quantity,
      );
    }
    // Referrals: unfiltered, and by each partner, need and status.
    const periodDays = new Set(period.days);
    const inPeriod = centre.referrals.filter((r) => periodDays.has(referralDay(r)));
    const filters: {
      partners: readonly string[];
      needs: readonly string[];
      statuses: readonly string[];
      keep: (r: Referral) => boolean;
    }[] = [
      { partners: PARTNERS, needs: NEEDS, statuses: STATUSES, keep: () => true },
      ...PARTNERS.map((p) => ({
        partners: [p],
        needs: NEEDS,
        statuses: STATUSES,
        keep: (r: Referral) => r.partnerId === p,
      })),
      ...NEEDS.map((n) => ({
        partners: PARTNERS,
        needs: [n],
        statuses: STATUSES,
        keep: (r: Referral) => r.need === n,
      })),
      ...STATUSES.map((s) => ({
        partners: PARTNERS,
        needs: NEEDS,
        statuses: [s],
        keep: (r: Referral) => r.status === s,
      })),
    ];
    for (const filter of filters) {
      const chosen = inPeriod.filter(filter.keep);
      const aggregate = aggregateReferrals(chosen);
      const partnerStatus: Record<string, Record<string, number>> = {};
      for (const r of chosen) {
        const row = partnerStatus[r.partnerId] ?? {};
        row[r.status] = (row[r.status] ?? 0) + 1;
        partnerStatus[r.partnerId] = row;
      }
      const referral = referralFigures(aggregate, {
        k: table.k,
        perturbation: table,
        partnerIds: filter.partners.length === 1 ? filter.partners : PARTNERS,
        partnerStatus,
      });
      const cellAtoms = (
        needs: readonly string[],
        partners: readonly string[],
        statuses: readonly string[],
      ) => {
        const n = needs.filter((need) => filter.needs.includes(need));
        const p = partners.filter((partner) => filter.partners.includes(partner));
        const st = statuses.filter((status) => filter.statuses.includes(status));
        return period.days.flatMap((d) =>
          n.flatMap((need) =>
            p.flatMap((partner) => st.map((status) => atom.referral(d, need, partner, status))),
          ),
        );
      };
      observeTable(attacker, referral.needStatus, (need, status) => cellAtoms([need], PARTNERS, [status]));
      observeTable(attacker, referral.byPartner, (partner, status) => cellAtoms(NEEDS, [partner], [status]));
      // Every outcome here is timed, so a timed count counts the same referrals as its status.
      for (const outcome of referral.timeToOutcome) {
        if (outcome.suppressed) continue;
        const statuses = outcome.outcome === "all" ? ["completed", "failed", "rejected"] : [outcome.outcome];
        attacker.publish(cellAtoms(NEEDS, PARTNERS, statuses), outcome.count);
      }
    }
  }
  const started = performance.now();
  const rounds = attacker.propagate();
  if (process.env.HALTE_ATTACK_TRACE)
    console.log(
      `answers ${attacker.answers}, propagated in ${rounds} rounds, ${Math.round(performance.now() - started)} ms`,
    );
  return { attacker, truth };
}

describe("an observer who asks every allowed question over eight weeks", () => {
  const table = perturbationTable({ k: 5, maxNoise: 2 });
  if (!table.ok) throw new Error("bad parameters");
  const runs = Number(process.env.HALTE_ATTACK_SEEDS ?? 4);
  // Replays one centre: HALTE_ATTACK_SEED=<the seed a failure printed>.
  const seeds = process.env.HALTE_ATTACK_SEED
    ? fc.constant(Number(process.env.HALTE_ATTACK_SEED))
    : fc.integer({ min: 1, max: 2 ** 31 - 1 });
  // The same centres on every run, so `npm test` gives the same answer at any hour; HALTE_ATTACK_RANDOM=1
  // draws new ones (docs/disclosure.md says what the drawn centres gave).
  const draw = process.env.HALTE_ATTACK_RANDOM ? {} : { seed: 20_261_207 };
  const timeout = 600_000;

  it(
    "pins no true small count, on many random centres",
    () => {
      fc.assert(
        fc.property(seeds, (seed) => {
          const { attacker, truth } = attack(randomCentre(seed), table.value);
          const { small, pinned } = attacker.pinned(truth);
          if (process.env.HALTE_ATTACK_TRACE)
            console.log(`seed ${seed}: ${small} small cells, ${pinned.length} pinned`);
          expect(small, "the centre must have small cells to protect").toBeGreaterThan(200);
          expect(attacker.answers).toBeGreaterThan(1000);
          expect(pinned, `seed ${seed}`).toEqual([]);
        }),
        { numRuns: runs, ...draw },
      );
    },
    timeout,
  );

  it(
    "recovers small counts by averaging no more often than a blind guess",
    () => {
      fc.assert(
        fc.property(seeds, (seed) => {
          const { attacker, truth } = attack(randomCentre(seed), table.value);
          const { small, recovered, guessed } = attacker.averaging(truth);
          if (process.env.HALTE_ATTACK_TRACE)
            console.log(
              `seed ${seed}: ${small} small, ${recovered} recovered by averaging, ${guessed} by a guess`,
            );
          expect(small).toBeGreaterThan(200);
          expect(
            recovered,
            `seed ${seed}: ${recovered} of ${small} recovered, a guess gets ${guessed}`,
          ).toBeLessThanOrEqual(guessed);
        }),
        { numRuns: Math.max(2, Math.floor(runs / 2)), ...draw },
      );
    },
    timeout,
  );

  it(
    "pins nothing in the centre that leaked two cells before lines were opened (docs/disclosure.md)",
    () => {
      // Drawn by CI on 2026-12-07: on 22 March, 6 men, 1 woman and 1 person of unknown gender aged 18–59
      // had meals. The men's cell (published 6 or 7, so at least 6: a count of 5 always publishes 5) and the
      // age band's total over genders (published so that it means at most 8) closed the line: the woman and
      // the unknown, each published as k (at least 1), were pinned to 1. No published line is closed now
      // (closed-lines.ts): one of its figures takes another outcome of its own count.
      const { attacker, truth } = attack(randomCentre(1_800_419_317), table.value);
      const { small, pinned } = attacker.pinned(truth);
      expect(small).toBe(1614);
      expect(pinned).toEqual([]);
      for (const cell of ["ub|2026-03-22|meals|18-59|female", "ub|2026-03-22|meals|18-59|unknown"]) {
        expect(truth.get(cell), cell).toBe(1);
        const [lo, hi] = attacker.bounds(cell);
        expect(hi, cell).toBeGreaterThan(lo);
      }
    },
    timeout,
  );

  it(
    "pins nothing in the centre that leaked two cells through a month's line over its days (docs/disclosure.md)",
    () => {
      // Drawn on 2026-12-07 after lines inside one answer were opened: on the Wednesdays of April, 1, 6, 0
      // and 1 people arrived in the 18:00 hour. April's arrivals table published its (Wednesday, 18:00) cell
      // as a value meaning at most 8, the days' own tables the 6 as 6 or more and the two 1s as k (at least
      // 1): a line across answers pinned both 1s. A period's figure now never closes a line with the same
      // figure of its days, months or quarters (period-lines.ts): April's cell takes another outcome.
      const { attacker, truth } = attack(randomCentre(1_779_108_026), table.value);
      const { small, pinned } = attacker.pinned(truth);
      expect(small).toBe(1602);
      expect(pinned).toEqual([]);
      const wednesdays = ["2026-04-01", "2026-04-08", "2026-04-15", "2026-04-22"];
      expect(wednesdays.map((day) => truth.get(atom.hour(day, "18")) ?? 0)).toEqual([1, 6, 0, 1]);
      for (const day of ["2026-04-01", "2026-04-22"]) {
        const [lo, hi] = attacker.bounds(atom.hour(day, "18"));
        expect(hi, day).toBeGreaterThan(lo);
      }
    },
    timeout,
  );

  it(
    "is a real attacker: against exact figures it pins the small cells",
    () => {
      // The same questions against a table that adds no noise: every published figure is a true count, so the
      // attacker's bounds meet. This shows the check above can fail.
      const centre = randomCentre(42);
      const exact = {
        ...table.value,
        rows: table.value.rows.map((_, n) => ({ outcomes: [n], cumulative: [1] })),
        noise: { outcomes: [0], cumulative: [1] },
      };
      const { attacker, truth } = attack(centre, exact as PerturbationTable);
      expect(attacker.pinned(truth).pinned.length).toBeGreaterThan(100);
    },
    timeout,
  );
});
