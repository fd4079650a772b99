// 1 → 50 centres, each in its own database, three years each (docs/benchmarks.md, "One database per
// centre"). Every centre is a SQLite file with the migrations' schema; the figures every centre's nightly
// merge stores for reports across centres are in a figures file. What each centre holds, and why:
// - **three years of day partials** (`visit_rollups`, 2023-01-01 … 2025-12-30): real partials, rolled by the
//   job's own code from a generated year of raw visits (the template centre, 2025), each day of a year
//   reused for the same day of the other two years; raw visits for 50 × 3 years (~82 M rows) are more than
//   this machine can write in the time, and no figure below reads old raw rows;
// - **one new day of raw visits and uses** (2025-12-31, ~1,500 visits, ~3,750 uses, as generated), written
//   after the roll-up's watermark: what the nightly run picks up;
// - its 35 stored month partials (January 2023 … November 2025), as the nightly merge keeps them in the
//   centre's database: with their visitor codes, without them for 2023 (past the 24 months of retention);
// - the figures file holds every centre's figures of 36 months, 12 quarters and 3 years, without visitor codes
//   (the template's months merged and anonymised by core, as the nightly merge stores them).
// Measured at each size, in rounds with the sizes rotated: the nightly fan-out — for each centre, the job's
// own `runRollup` (the new day) then `mergeMonthPartials` (December) on its database, as the queue consumer
// runs them — per centre and in total (run one after the other here; in production each centre has its own
// invocation) — the night of 31 December, the heaviest: December, the fourth quarter and the year complete
// at once, so their figures are merged from the centre's months; the cross-centre three-year report by
// month on the figures path (`crossCentrePartials`, the route's own function, over the figures file, then
// core's `rollUp`); one centre's three-year report from
// its own day partials; disk per centre-year. In-process SQLite (better-sqlite3 through drizzle), so D1's
// round trips (~1 ms each in workerd, a few per centre) are not in these times.
// Run: `cd apps/api && npx tsx bench/centres.ts` (HALTE_BENCH_CENTRES_SIZES=1,5,10,25,50,
// HALTE_BENCH_ROUNDS=3, HALTE_BENCH_SCALE=1). Writes figures to bench/results.json (merged). Not in `npm test`.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { median } from "../../../tooling/bench/rounds.js";
import {
  buildTemplate,
  centreIdOf,
  crossCentreReport,
  dayFiguresTemplates,
  figuresTemplates,
  MAX,
  migrate,
  monthTemplates,
  nightOf,
  oneCentreReport,
  open,
  pastMonthTemplates,
  ROUNDS,
  SCALE,
  SIZES,
  writeCentre,
  writeFigures,
  YEARS,
} from "./centres-setup.js";
import { machineLoad } from "./harness.js";

const TABLE_PATH = fileURLToPath(new URL("../../../bench/centres.md", import.meta.url));

interface Round {
  totalMs: number;
  perCentreMs: number;
  perCentreMaxMs: number;
  crossMs: number;
  oneMs: number;
}

const spread = (values: number[]) => `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;

const work = mkdtempSync(join(tmpdir(), "halte-bench-centres-"));
try {
  const loadBefore = machineLoad();
  const built = await buildTemplate(work);
  const months = monthTemplates(built.days);
  const dayFigures = dayFiguresTemplates(built.days);
  const template = { ...built, months, pastMonths: pastMonthTemplates(months), dayFigures };
  const empty = join(work, "empty.sqlite");
  migrate(empty);
  console.log(`writing ${MAX} centre databases (three years of day partials + one raw day each; not timed)…`);
  const files: string[] = [];
  for (let n = 1; n <= MAX; n++) files.push(writeCentre(work, template, n, empty));
  const figuresFile = join(work, "figures.sqlite");
  migrate(figuresFile);
  writeFigures(figuresFile, figuresTemplates(template.months), dayFigures);
  const centreFileMB = statSync(files[0] as string).size / 1024 / 1024;
  const figures = open(figuresFile);

  const bySize = new Map<number, Round[]>(SIZES.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...SIZES.slice(round % SIZES.length), ...SIZES.slice(0, round % SIZES.length)];
    for (const size of order) {
      const perCentre: number[] = [];
      for (let n = 1; n <= size; n++) perCentre.push(await nightOf(files[n - 1] as string, centreIdOf(n)));
      const measured: Round = {
        totalMs: perCentre.reduce((a, b) => a + b, 0),
        perCentreMs: median(perCentre),
        perCentreMaxMs: Math.max(...perCentre),
        crossMs: await crossCentreReport(figures.db, size),
        oneMs: await oneCentreReport(files[0] as string),
      };
      bySize.get(size)?.push(measured);
      console.log(
        `  round ${round + 1}, ${size} centre(s): ${JSON.stringify(measured, (_k, v) => (typeof v === "number" ? Math.round(v) : v))}`,
      );
    }
  }
  figures.sqlite.close();

  const rows = SIZES.map((size) => {
    const rounds = bySize.get(size) ?? [];
    const pick = (f: (r: Round) => number) => rounds.map(f);
    return {
      size,
      total: median(pick((r) => r.totalMs)),
      totalSpread: spread(pick((r) => r.totalMs)),
      perCentre: median(pick((r) => r.perCentreMs)),
      perCentreSpread: spread(pick((r) => r.perCentreMs)),
      perCentreMax: median(pick((r) => r.perCentreMaxMs)),
      cross: median(pick((r) => r.crossMs)),
      crossSpread: spread(pick((r) => r.crossMs)),
      one: median(pick((r) => r.oneMs)),
      oneSpread: spread(pick((r) => r.oneMs)),
    };
  });
  const rawPerYearMB = template.rawYearBytes / 1024 / 1024;
  const partialsPerYearMB = centreFileMB / YEARS.length;
  const workload =
    `each centre its own SQLite file: 3 years of day partials (2023-01-01..2025-12-30, the job's partials of a generated year, scale ${SCALE}, reused per year) + one raw day (${template.newDayVisits} visits of the generated 2025-12-31) rolled and merged nightly; ` +
    `figures file with 36 months, 12 quarters and 3 years per centre, without visitor codes; ${ROUNDS} rounds, sizes rotated; in-process SQLite (no D1 round trips); machine load ${loadBefore} before, ${machineLoad()} after`;
  const table = [
    "# 1 → 50 centres, one database each (apps/api/bench/centres.ts)",
    "",
    `Workload: ${workload}. ${new Date().toISOString().slice(0, 10)}. Medians of ${ROUNDS} rounds (min–max).`,
    "",
    "| centres | nightly fan-out, total (sum of centres) | per centre (median) | slowest centre | cross-centre report, 3 years by month (figures path) | one centre's report, 3 years by month |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.size} | ${Math.round(r.total)} ms (${r.totalSpread}) | ${Math.round(r.perCentre)} ms (${r.perCentreSpread}) | ${Math.round(r.perCentreMax)} ms | ${Math.round(r.cross)} ms (${r.crossSpread}) | ${Math.round(r.one)} ms (${r.oneSpread}) |`,
    ),
    "",
    `Disk per centre-year: ${partialsPerYearMB.toFixed(1)} MB of day partials (a centre file of 3 years of partials and one raw day: ${centreFileMB.toFixed(1)} MB); ` +
      `${rawPerYearMB.toFixed(0)} MB for a year with its raw visits and uses (the template centre's file, scale ${SCALE}).`,
    "",
  ].join("\n");
  writeFileSync(TABLE_PATH, table);
  console.log(`\n${table}\nWritten to ${TABLE_PATH}`);
  const largest = rows[rows.length - 1] as (typeof rows)[number];
  const smallest = rows[0] as (typeof rows)[number];
  recordFigures([
    {
      name: "api.centres.report-cross-3y.ms",
      value: Math.round(largest.cross),
      target: "<=1000",
      reference: `cross-centre visits report, 3 years by month, ${largest.size} centres, figures path (${Math.round(smallest.cross)} ms for ${smallest.size}); min–max ${largest.crossSpread}`,
      workload,
    },
    {
      name: "api.centres.report-one-3y.ms",
      value: Math.round(largest.one),
      target: null,
      reference: `one centre's visits report, 3 years by month, from its own day partials, with ${largest.size} centres (${Math.round(smallest.one)} ms with ${smallest.size})`,
      workload,
    },
    {
      name: "api.centres.nightly-per-centre.ms",
      value: Math.round(largest.perCentre),
      target: null,
      reference: `one centre's nightly roll-up of a new day + month merge, median, with ${largest.size} centres (${Math.round(smallest.perCentre)} ms with ${smallest.size})`,
      workload,
    },
    {
      name: "api.centres.nightly-total.ms",
      value: Math.round(largest.total),
      target: null,
      reference: `the nightly fan-out over ${largest.size} centres, summed (run one after the other; each has its own invocation in production)`,
      workload,
    },
    {
      name: "api.centres.disk-per-centre-year.MB",
      value: Number(rawPerYearMB.toFixed(0)),
      target: null,
      reference: `a centre-year with its raw visits and uses; ${partialsPerYearMB.toFixed(1)} MB of day partials alone`,
      workload,
    },
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
