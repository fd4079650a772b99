import { type Figure, RESULTS_PATH, recordFigures } from "../../../tooling/bench/results-file.js";
import { aggregateVisitsByDay, type KeyedRecord, rollUp, type VisitAggregate } from "../src/aggregate.js";
import {
  expectedAbsoluteNoise,
  type PerturbationTable,
  perturbationTable,
  perturbTable,
} from "../src/cell-key.js";
import { type CountTable, type DisclosedCell, type DisclosedTable, openTable } from "../src/disclosure.js";
import {
  arrivalsByWeekdayHour,
  arrivalsCellKeys,
  publishServiceRows,
  publishVisitPeriod,
  type ReportedService,
  serviceReportRows,
} from "../src/reports.js";
import type { ServiceUse } from "../src/service-use.js";
import type { Visit } from "../src/visit.js";
import { CENTRE_ID, generateWorkload, mulberry32, SERVICES, WORKLOAD_TIME_ZONE } from "./workload.js";

// Run: cd packages/core && npx tsx bench/disclosure.ts   (HALTE_BENCH_SCALE=0.05 for a smoke run)
//
// What consistent cell-key perturbation costs a reader of the published figures, on the benchmark year
// (workload.ts): every count a caller without raw access can be shown — the visit figures of every day and
// month (age band × gender with its margins, languages, first visits, unique visitors), arrivals by weekday ×
// hour of every month, and service rows (uses, people served, served on days with capacity, with the
// period's totals) by day and by month — published with perturbationTable({ k: 5, maxNoise: 2 }) and
// compared with the true count, cell by cell. Pure: no timing, the figures depend only on the seeds.

const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0))
  throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${process.env.HALTE_BENCH_SCALE}`);
const PARAMETERS = { k: 5, maxNoise: 2 } as const;
/** The seed of the record keys, apart from the workload's so the year itself is the other benchmarks' year. */
const RECORD_KEY_SEED = 0x6b657973;

const built = perturbationTable(PARAMETERS);
if (!built.ok) throw new Error(built.error.message);
const table: PerturbationTable = built.value;

/** The bands of true counts the error is split by: zeros, the counts never published (1…k−1), small, large. */
const BANDS = [
  { label: "0", holds: (n: number) => n === 0 },
  { label: "1-4", holds: (n: number) => n >= 1 && n <= 4 },
  { label: "5-19", holds: (n: number) => n >= 5 && n <= 19 },
  { label: "20+", holds: (n: number) => n >= 20 },
] as const;

/** Absolute differences between published and true counts over a set of published cells. */
class ErrorTally {
  cells = 0;
  absolute = 0;
  unchanged = 0;
  /** Σ of the perturbation table's expected |noise| for each true count: what `absolute` should be near. */
  expected = 0;
  readonly bands = BANDS.map(() => ({ cells: 0, absolute: 0 }));

  add(truth: number, published: number): void {
    const difference = Math.abs(published - truth);
    this.cells++;
    this.absolute += difference;
    if (difference === 0) this.unchanged++;
    this.expected += expectedAbsoluteNoise(truth, table);
    const band = this.bands[BANDS.findIndex((b) => b.holds(truth))];
    if (band === undefined) throw new Error(`no band for ${truth}`);
    band.cells++;
    band.absolute += difference;
  }

  meanAbsolute(): number {
    return this.absolute / this.cells;
  }
}

const families = new Map<string, ErrorTally>();
const overall = new ErrorTally();
let smallPublished = 0;

function record(family: string, truth: number, cell: DisclosedCell): void {
  if (cell.suppressed) throw new Error(`${family}: a cell was suppressed; perturbation hides nothing`);
  if (cell.value > 0 && cell.value < table.k) smallPublished++;
  let tally = families.get(family);
  if (tally === undefined) {
    tally = new ErrorTally();
    families.set(family, tally);
  }
  tally.add(truth, cell.value);
  overall.add(truth, cell.value);
}

/** Every cell, row and column total and the grand total of a published table, against the open table. */
function recordTable(family: string, published: DisclosedTable, counts: CountTable): void {
  const truth = openTable(counts, table.k);
  const pairs: [DisclosedCell, DisclosedCell][] = [
    ...published.cells.flatMap((row, i) =>
      row.map((cell, j): [DisclosedCell, DisclosedCell] => [truth.cells[i]?.[j] as DisclosedCell, cell]),
    ),
    ...published.rowTotals.map((cell, i): [DisclosedCell, DisclosedCell] => [
      truth.rowTotals[i] as DisclosedCell,
      cell,
    ]),
    ...published.columnTotals.map((cell, j): [DisclosedCell, DisclosedCell] => [
      truth.columnTotals[j] as DisclosedCell,
      cell,
    ]),
    [truth.grandTotal, published.grandTotal],
  ];
  for (const [exact, shown] of pairs) {
    if (exact.suppressed) throw new Error("openTable hid a cell");
    record(family, exact.value, shown);
  }
}

/** One period's visit figures as published, against the partial they came from; returns the published total. */
function recordVisitPeriod(family: string, period: string, aggregate: VisitAggregate): number {
  const published = publishVisitPeriod(period, aggregate, table);
  const byAgeGender = aggregate.byAgeBandGender as Record<string, Record<string, number> | undefined>;
  const { rowLabels, columnLabels } = published.visits;
  recordTable(family, published.visits, {
    rowLabels,
    columnLabels,
    cells: rowLabels.map((age) => columnLabels.map((gender) => byAgeGender[age]?.[gender] ?? 0)),
  });
  for (const { language, count } of published.byLanguage) {
    record(family, aggregate.byLanguage[language] ?? 0, count);
  }
  record(family, aggregate.firstVisits, published.firstVisits);
  record(family, aggregate.uniqueVisitors, published.uniqueVisitors);
  const total = published.visits.grandTotal;
  if (total.suppressed) throw new Error("a grand total was suppressed");
  return total.value;
}

/** Record keys as the database draws them: a whole number in [1, 2³²) per record, from a seeded PRNG. */
function* withRecordKeys<T>(records: readonly T[], random: () => number): Generator<KeyedRecord<T>> {
  for (const item of records) yield { ...item, recordKey: 1 + Math.floor(random() * (2 ** 32 - 1)) };
}

console.log(`Generating the benchmark year (scale ${scale})…`);
const workload = generateWorkload(scale);
console.log(`  ${workload.description}`);
const keys = mulberry32(RECORD_KEY_SEED);
const days =
  aggregateVisitsByDay(
    withRecordKeys<Visit>(workload.visits, keys),
    withRecordKeys<ServiceUse>(workload.uses, keys),
    { timeZone: WORKLOAD_TIME_ZONE },
  )[CENTRE_ID] ?? {};
const months = rollUp({ [CENTRE_ID]: days }, "month")[CENTRE_ID] ?? {};
const dayKeys = Object.keys(days).sort();
const monthKeys = Object.keys(months).sort();
console.log(`  ${dayKeys.length} day partials, ${monthKeys.length} months`);

for (const day of dayKeys) recordVisitPeriod("visits by day", day, days[day] as VisitAggregate);

const monthErrors: number[] = [];
const monthTotals = new Map<string, number>();
for (const month of monthKeys) {
  const aggregate = months[month] as VisitAggregate;
  const published = recordVisitPeriod("visits by month", month, aggregate);
  monthTotals.set(month, published);
  monthErrors.push(Math.abs(published - aggregate.visits) / aggregate.visits);
}

// Arrivals by weekday × hour, one table per month, as GET /api/reports/arrivals publishes a month.
let inconsistentTotals = 0;
for (const month of monthKeys) {
  const monthDays = Object.fromEntries(
    dayKeys.filter((day) => day.replace("-", "").startsWith(month)).map((day) => [day, days[day]]),
  ) as Record<string, VisitAggregate>;
  const counts = arrivalsByWeekdayHour(monthDays);
  const published = perturbTable(counts, arrivalsCellKeys(monthDays), table);
  recordTable("arrivals by month", published, counts);
  // The same visits, reached through another table: the same key, so the same published total.
  if (published.grandTotal.suppressed || published.grandTotal.value !== monthTotals.get(month))
    inconsistentTotals++;
}

// Services open Monday to Saturday with a daily capacity, so `used` (people served on days with a
// capacity) differs from `quantity` (every day).
const services: ReportedService[] = SERVICES.map((id, i) => ({
  id,
  name: id,
  schedule: {
    timeZone: WORKLOAD_TIME_ZONE,
    weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
    exceptions: [],
    dailyCapacity: 100 + 50 * i,
  },
}));
const year = { from: dayKeys[0] as string, to: dayKeys.at(-1) as string };
for (const period of ["day", "month"] as const) {
  const rows = serviceReportRows(days, services, { ...year, period });
  const published = publishServiceRows(rows, table);
  const family = `services by ${period}`;
  rows.forEach((row, i) => {
    const shown = published.rows[i];
    if (shown === undefined || shown.serviceId !== row.serviceId)
      throw new Error("service rows out of order");
    record(family, row.uses, shown.uses);
    record(family, row.quantity, shown.quantity);
    record(family, row.used, shown.used);
  });
  for (const total of published.totals) {
    const of = rows.filter((row) => row.period === total.period);
    const sum = (pick: (row: (typeof rows)[number]) => number) => of.reduce((n, row) => n + pick(row), 0);
    record(
      family,
      sum((row) => row.uses),
      total.uses,
    );
    record(
      family,
      sum((row) => row.quantity),
      total.quantity,
    );
    record(
      family,
      sum((row) => row.used),
      total.used,
    );
  }
}

if (smallPublished > 0) throw new Error(`${smallPublished} cells were published as 1…${table.k - 1}`);

const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log("\nPublished cells against their true counts (k = 5, maximum noise 2):");
console.log(
  `  ${"cells".padEnd(20)} ${"n".padStart(8)}  ${"MAD".padStart(6)}  ${"expected".padStart(8)}  unchanged`,
);
for (const [name, tally] of [...families, ["all", overall] as const]) {
  console.log(
    `  ${name.padEnd(20)} ${String(tally.cells).padStart(8)}  ${tally.meanAbsolute().toFixed(3).padStart(6)}  ${(tally.expected / tally.cells).toFixed(3).padStart(8)}  ${percent(tally.unchanged / tally.cells)}`,
  );
}
console.log("  by true count:");
overall.bands.forEach((band, i) => {
  const share = band.cells / overall.cells;
  console.log(
    `    ${(BANDS[i]?.label ?? "").padEnd(6)} ${String(band.cells).padStart(8)} cells (${percent(share)})  MAD ${(band.absolute / Math.max(1, band.cells)).toFixed(3)}`,
  );
});
const maxMonthError = Math.max(...monthErrors);
const meanMonthError = monthErrors.reduce((a, b) => a + b, 0) / monthErrors.length;
console.log(
  `  monthly visit totals: relative error max ${maxMonthError.toExponential(2)}, mean ${meanMonthError.toExponential(2)} (${monthErrors.length} months)`,
);
console.log(
  `  arrivals' monthly grand totals equal to the visit figures' monthly totals: ${monthKeys.length - inconsistentTotals} of ${monthKeys.length}`,
);
if (inconsistentTotals > 0)
  throw new Error("The same visits were published with two different totals: the keys are not consistent");

const workloadText =
  `${workload.description}; record keys from mulberry32(${RECORD_KEY_SEED}); ${overall.cells} published ` +
  `cells: visit figures of ${dayKeys.length} days and ${monthKeys.length} months, arrivals weekday × hour ` +
  "per month, service rows and totals by day and by month (8 services, capacity Monday–Saturday)";
const reference = "the true counts of the same day partials (openTable)";
const figures: Figure[] = [
  {
    name: "core.disclosure.cell-mad",
    value: round(overall.meanAbsolute()),
    target: "<=1",
    reference: `${reference}: mean |published − true| per published cell, perturbationTable({k:5, maxNoise:2})`,
    workload: workloadText,
  },
  {
    name: "core.disclosure.month-total-error.max",
    value: round(maxMonthError, 6),
    target: "<=0.01",
    reference: `${reference}: |published − true| ÷ true of each month's visits grand total, the largest`,
    workload: workloadText,
  },
  {
    name: "core.disclosure.month-total-error.mean",
    value: round(meanMonthError, 6),
    target: null,
    reference: "|published − true| ÷ true of each month's visits grand total, mean over the months",
    workload: workloadText,
  },
  {
    name: "core.disclosure.unchanged-share",
    value: round(overall.unchanged / overall.cells),
    target: null,
    reference: "share of published cells equal to their true count",
    workload: workloadText,
  },
  ...overall.bands.map(
    (band, i): Figure => ({
      name: `core.disclosure.cell-mad.true-${BANDS[i]?.label}`,
      value: round(band.absolute / Math.max(1, band.cells)),
      target: null,
      reference: `mean |published − true| of the ${band.cells} published cells whose true count is ${BANDS[i]?.label}`,
      workload: workloadText,
    }),
  ),
];

console.log("\nFigures:");
for (const f of figures) {
  const met = f.target === null ? "" : Number(f.value) <= Number(f.target.slice(2)) ? "yes" : "NO";
  console.log(
    `  ${f.name.padEnd(40)} ${String(f.value).padStart(10)}  ${(f.target ?? "").padEnd(7)}  ${met}`,
  );
}
recordFigures(figures);
console.log(`\nWritten to ${RESULTS_PATH}`);
