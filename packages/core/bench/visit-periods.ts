import { cpus, loadavg } from "node:os";
import { type Figure, RESULTS_PATH, recordFigures } from "../../../tooling/bench/results-file.js";
import { alternateRounds, median, ratioSpread } from "../../../tooling/bench/rounds.js";
import { aggregateVisitsByDay, type KeyedRecord, rollUp, type VisitAggregate } from "../src/aggregate.js";
import { type PerturbationTable, perturbationTable } from "../src/cell-key.js";
import type { PeriodType } from "../src/period.js";
import { publishVisitPeriod } from "../src/reports.js";
import type { ServiceUse } from "../src/service-use.js";
import type { Visit } from "../src/visit.js";
import { publishVisitPeriods } from "../src/visit-periods.js";
import { CENTRE_ID, generateWorkload, mulberry32, WORKLOAD_TIME_ZONE } from "./workload.js";

// Run: cd packages/core && npx tsx bench/visit-periods.ts   (HALTE_BENCH_SCALE=0.05 for a smoke run)
//
// What disclosure step 8 costs the visits report: `publishVisitPeriods` (every period checked against its
// days', months' and quarters' own answers, docs/disclosure.md step 8) against the steps-1–7 path the route
// used without it (`publishVisitPeriod` per period), on the same day partials, for the reports a centre's
// staff open: one month, a year by month, by quarter and as one year of the busy benchmark centre
// (workload.ts, ~1,500 visits a day), and three years by quarter and by year of a small centre (~45 visits
// a day, as the API's load suite seeds). Both sides get the period aggregates already rolled up, as the
// route has them. Timed as the process's CPU time (this machine's two cores are shared), in rounds with the
// order rotated (tooling/bench/rounds.ts); the figure is the median of the per-round ratios.

const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0))
  throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${process.env.HALTE_BENCH_SCALE}`);
const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "5");
const built = perturbationTable({ k: 5, maxNoise: 2 });
if (!built.ok) throw new Error(built.error.message);
const table: PerturbationTable = built.value;

/** Record keys as the database draws them: a whole number in [1, 2³²) per record, from a seeded PRNG. */
function* withRecordKeys<T>(records: readonly T[], random: () => number): Generator<KeyedRecord<T>> {
  for (const item of records) yield { ...item, recordKey: 1 + Math.floor(random() * (2 ** 32 - 1)) };
}

/** The day partials of the workload years asked for, at `perDay` visits a day on average. */
function dayPartials(perDay: number, years: readonly number[]): Record<string, VisitAggregate> {
  const days: Record<string, VisitAggregate> = {};
  for (const year of years) {
    const workload = generateWorkload(perDay / 1500, 20250101 + year, year);
    const keys = mulberry32(0x6b657973 + year);
    const partials = aggregateVisitsByDay(
      withRecordKeys<Visit>(workload.visits, keys),
      withRecordKeys<ServiceUse>(workload.uses, keys),
      { timeZone: WORKLOAD_TIME_ZONE },
    )[CENTRE_ID];
    Object.assign(days, partials);
  }
  return days;
}

interface Case {
  readonly name: string;
  readonly label: string;
  readonly type: PeriodType;
  readonly days: Readonly<Record<string, VisitAggregate>>;
  readonly byPeriod: Readonly<Record<string, VisitAggregate>>;
}

function reportCase(
  name: string,
  label: string,
  type: PeriodType,
  all: Readonly<Record<string, VisitAggregate>>,
  from: string,
  to: string,
): Case {
  const days = Object.fromEntries(Object.entries(all).filter(([day]) => day >= from && day <= to));
  return { name, label, type, days, byPeriod: rollUp({ all: days }, type).all ?? {} };
}

const withoutStep8 = (c: Case) =>
  Object.keys(c.byPeriod)
    .sort()
    .map((period) => publishVisitPeriod(period, c.byPeriod[period] as VisitAggregate, table));
const withStep8 = (c: Case) => publishVisitPeriods(c.type, c.days, c.byPeriod, table);

/** CPU milliseconds per call of `fn`, over as many calls as make at least ~50 ms (after one untimed call). */
function cpuPerCall(fn: () => unknown, calls: number): number {
  fn();
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / calls;
}

function callsFor(fn: () => unknown): number {
  const start = performance.now();
  fn();
  const once = Math.max(0.01, performance.now() - start);
  return Math.max(1, Math.min(200, Math.ceil(50 / once)));
}

console.log(
  `Load average (1 / 5 / 15 min) ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")} on ${cpus().length} cores`,
);
console.log(`Generating the day partials (scale ${scale})…`);
const busyPerDay = Math.max(1, Math.round(1500 * scale));
const smallPerDay = Math.max(1, Math.round(45 * Math.min(1, scale * 10)));
const busy = dayPartials(busyPerDay, [2025]);
const small = dayPartials(smallPerDay, [2023, 2024, 2025]);
const cases: Case[] = [
  reportCase("busy.month", "busy centre, one month", "month", busy, "2025-10-01", "2025-10-31"),
  reportCase("busy.year-by-month", "busy centre, a year by month", "month", busy, "2025-01-01", "2025-12-31"),
  reportCase(
    "busy.year-by-quarter",
    "busy centre, a year by quarter",
    "quarter",
    busy,
    "2025-01-01",
    "2025-12-31",
  ),
  reportCase("busy.year", "busy centre, one year", "year", busy, "2025-01-01", "2025-12-31"),
  reportCase(
    "small.3-years-by-quarter",
    "small centre, three years by quarter",
    "quarter",
    small,
    "2023-01-01",
    "2025-12-31",
  ),
  reportCase("small.3-years", "small centre, three years by year", "year", small, "2023-01-01", "2025-12-31"),
];
console.log(
  `  busy centre: ~${busyPerDay} visits a day in 2025; small centre: ~${smallPerDay} a day in 2023–2025`,
);

const figures: Figure[] = [];
const workload =
  `workload.ts: busy centre ~${busyPerDay} visits/day over 2025, small centre ~${smallPerDay} visits/day over ` +
  "2023–2025; record keys from mulberry32; perturbationTable({k:5, maxNoise:2}); CPU time per report";
for (const c of cases) {
  const calls = { without: callsFor(() => withoutStep8(c)), with: callsFor(() => withStep8(c)) };
  const times = await alternateRounds(
    {
      with: () => cpuPerCall(() => withStep8(c), calls.with),
      without: () => cpuPerCall(() => withoutStep8(c), calls.without),
    },
    ROUNDS,
  );
  const ratio = ratioSpread(times.with, times.without);
  console.log(
    `  ${c.label.padEnd(38)} steps 1–7 ${median(times.without).toFixed(1).padStart(8)} ms  with step 8 ${median(times.with).toFixed(1).padStart(8)} ms  ratio ${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
  );
  figures.push(
    {
      name: `core.visit-periods.${c.name}.step8-ratio`,
      value: Number(ratio.median.toFixed(3)),
      target: null,
      reference: `publishVisitPeriods ÷ publishVisitPeriod per period (steps 1–7), ${c.label}, CPU time`,
      workload,
      min: Number(ratio.min.toFixed(3)),
      max: Number(ratio.max.toFixed(3)),
      rounds: ROUNDS,
    },
    {
      name: `core.visit-periods.${c.name}.step8-ms`,
      value: Number(median(times.with).toFixed(2)),
      target: null,
      reference: `publishVisitPeriods, ${c.label}: CPU ms per report (median of ${ROUNDS} rounds)`,
      workload,
    },
  );
}
if (scale === 1) {
  recordFigures(figures);
  console.log(`\nWritten to ${RESULTS_PATH}`);
} else console.log("\n(not written to bench/results.json: a scaled run is a smoke run)");
