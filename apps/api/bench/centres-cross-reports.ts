// The arrivals and services reports across 1 → 50 centres over three years, on the stored day-level figures
// (what the routes read now) against every centre's day partials (what they read before), with the same
// databases as bench/centres.ts (see there): each centre a SQLite file of three years of day partials and its
// stored months, a figures file with every centre's months, quarters and years. Both paths are the routes'
// own functions (`crossCentreDayFigures`, `dayFields`' per-centre reader), then core's `serviceReportRows` /
// `arrivalsByWeekdayHour`; each size checks that both paths give the same rows and table. In-process SQLite
// (better-sqlite3 through drizzle): D1's round trips (~1 ms each in workerd, one or two per centre on the
// figures path, one per centre on the day path) are not in these times.
// Run: `cd apps/api && npx tsx bench/centres-cross-reports.ts` (HALTE_BENCH_CENTRES_SIZES=10,50 by default
// here, HALTE_BENCH_ROUNDS=3, HALTE_BENCH_SCALE=1). Prints the figures and records the medians per size in
// `bench/results.json` (`api.centres.cross-services-3y.*`, `api.centres.cross-arrivals-3y.*`), wall time and
// the process's CPU time (less sensitive to the machine's load). Not in `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  addCellKeys,
  addGrid,
  arrivalsByWeekdayHour,
  arrivalsCellKeys,
  serviceReportRows,
} from "@halte/core";
import { type Db, servicesOfCentres } from "@halte/db";
import { type Figure, recordFigures } from "../../../tooling/bench/results-file.js";
import { median } from "../../../tooling/bench/rounds.js";
import { addCentreDayFields, type DayFields } from "../src/routes/reports/day-fields.js";
import { crossCentreDayFigures } from "../src/routes/reports/day-figures.js";
import type { ReportScope } from "../src/routes/reports/scope.js";
import {
  buildTemplate,
  centreIdOf,
  centreOf,
  dayFiguresTemplates,
  figuresTemplates,
  migrate,
  monthTemplates,
  NOW,
  open,
  pastMonthTemplates,
  ROUNDS,
  SCALE,
  writeCentre,
  writeFigures,
} from "./centres-setup.js";
import { machineLoad } from "./harness.js";

const SIZES = (process.env.HALTE_BENCH_CENTRES_SIZES ?? "10,50").split(",").map(Number);
const MAX = Math.max(...SIZES);
const RANGE = { from: "2023-01-01", to: "2025-12-31" };

const work = mkdtempSync(join(tmpdir(), "halte-bench-cross-"));
try {
  const loadBefore = machineLoad();
  const built = await buildTemplate(work);
  const months = monthTemplates(built.days);
  const dayFigures = dayFiguresTemplates(built.days);
  const template = { ...built, months, pastMonths: pastMonthTemplates(months), dayFigures };
  const bytes = (grain: string) =>
    [...dayFigures].filter(([key]) => key.startsWith(grain)).map(([, json]) => json.length);
  for (const grain of ["month", "quarter", "year"])
    console.log(`  day-level figures of a ${grain}: median ${median(bytes(grain))} bytes`);
  const empty = join(work, "empty.sqlite");
  migrate(empty);
  console.log(`writing ${MAX} centre databases and the figures file (not timed)…`);
  const centres = new Map<string, Db>();
  for (let n = 1; n <= MAX; n++) centres.set(centreIdOf(n), open(writeCentre(work, template, n, empty)).db);
  const figuresFile = join(work, "figures.sqlite");
  migrate(figuresFile);
  writeFigures(figuresFile, figuresTemplates(template.months), dayFigures);
  const figures = open(figuresFile).db;
  const dbFor = async (id: string) => centres.get(id) as Db;

  const scopeOf = (size: number) => {
    const ids = Array.from({ length: size }, (_, i) => centreIdOf(i + 1));
    return { centres: ids.map(centreOf), centreIds: ids, ...RANGE } as unknown as ReportScope;
  };
  const servicesOf = async (ids: string[]) =>
    (await Promise.all(ids.map(async (id) => servicesOfCentres(await dbFor(id), [id])))).flat();
  const fromDays = async (scope: ReportScope) => {
    const days: Record<string, DayFields> = {};
    for (const id of scope.centreIds)
      await addCentreDayFields(days, await dbFor(id), id, RANGE.from, RANGE.to);
    return days;
  };
  const cpu = { servicesFigures: 0, arrivalsFigures: 0 };
  const timed = async <T>(run: () => Promise<T>, cpuOf?: keyof typeof cpu): Promise<[number, T]> => {
    const [started, cpuStarted] = [performance.now(), process.cpuUsage()];
    const value = await run();
    const used = process.cpuUsage(cpuStarted);
    if (cpuOf) cpu[cpuOf] = (used.user + used.system) / 1000;
    return [performance.now() - started, value];
  };

  type Round = Record<
    | "servicesFigures"
    | "servicesDays"
    | "arrivalsFigures"
    | "arrivalsDays"
    | "servicesFiguresCpu"
    | "arrivalsFiguresCpu",
    number
  >;
  const bySize = new Map<number, Round[]>(SIZES.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of [...SIZES.slice(round % SIZES.length), ...SIZES.slice(0, round % SIZES.length)]) {
      const scope = scopeOf(size);
      const services = await servicesOf(scope.centreIds);
      const range = { ...RANGE, period: "month" as const };
      const [servicesFigures, rowsFromFigures] = await timed(async () => {
        const cross = await crossCentreDayFigures({ figures, dbFor }, scope, {
          report: "services",
          grains: ["month"],
          ownMonths: true,
          now: NOW,
        });
        return serviceReportRows(cross.days, services, range);
      }, "servicesFigures");
      const [servicesDays, rowsFromDays] = await timed(async () =>
        serviceReportRows(await fromDays(scope), services, range),
      );
      const [arrivalsFigures, tableFromFigures] = await timed(async () => {
        const cross = await crossCentreDayFigures({ figures, dbFor }, scope, {
          report: "arrivals",
          grains: ["year", "quarter", "month"],
          ownMonths: true,
          now: NOW,
        });
        const cells = arrivalsByWeekdayHour(cross.days).cells.map((row) => [...row]);
        addGrid(cells, cross.arrivals.counts, (a, b) => a + b);
        const keys = arrivalsCellKeys(cross.days).map((row) => [...row]);
        addGrid(keys, cross.arrivals.keys, addCellKeys);
        return { cells, keys, days: new Set([...Object.keys(cross.days), ...cross.storedDays]).size };
      }, "arrivalsFigures");
      const [arrivalsDays, tableFromDays] = await timed(async () => {
        const days = await fromDays(scope);
        const cells = arrivalsByWeekdayHour(days).cells;
        return { cells, keys: arrivalsCellKeys(days), days: Object.keys(days).length };
      });
      if (!isDeepStrictEqual(rowsFromFigures, rowsFromDays)) throw new Error(`${size}: services rows differ`);
      if (!isDeepStrictEqual(tableFromFigures, tableFromDays)) throw new Error(`${size}: arrivals differ`);
      const measured = {
        servicesFigures,
        servicesDays,
        arrivalsFigures,
        arrivalsDays,
        servicesFiguresCpu: cpu.servicesFigures,
        arrivalsFiguresCpu: cpu.arrivalsFigures,
      };
      bySize.get(size)?.push(measured);
      console.log(
        `  round ${round + 1}, ${size} centre(s), ${rowsFromDays.length} service rows: ${JSON.stringify(measured, (_k, v) => (typeof v === "number" ? Math.round(v) : v))}`,
      );
    }
  }
  const loadAfter = machineLoad();
  console.log(`\nMedians of ${ROUNDS} round(s); machine load ${loadBefore} before, ${loadAfter} after.`);
  console.log(
    "| centres | services by month, 3 years: figures (CPU) / day partials | arrivals, 3 years: figures (CPU) / day partials |",
  );
  console.log("| --- | --- | --- |");
  const recorded: Figure[] = [];
  const workload = `each centre its own SQLite file of 3 years of day partials (2023-01-01..2025-12-30, scale ${SCALE}) and its stored months; figures file with every centre's 36 months, 12 quarters and 3 years of day-level figures; in-process SQLite (no D1 round trips); ${ROUNDS} round(s), sizes rotated; machine load ${loadBefore} before, ${loadAfter} after, 2 cores`;
  for (const size of SIZES) {
    const rounds = bySize.get(size) ?? [];
    const m = (pick: (r: Round) => number) => Math.round(median(rounds.map(pick)));
    const spread = (pick: (r: Round) => number) =>
      `${Math.round(Math.min(...rounds.map(pick)))}–${Math.round(Math.max(...rounds.map(pick)))}`;
    console.log(
      `| ${size} | ${m((r) => r.servicesFigures)} ms (${m((r) => r.servicesFiguresCpu)} ms) / ${m((r) => r.servicesDays)} ms | ${m((r) => r.arrivalsFigures)} ms (${m((r) => r.arrivalsFiguresCpu)} ms) / ${m((r) => r.arrivalsDays)} ms |`,
    );
    for (const [report, what] of [
      ["services", "services report by month"],
      ["arrivals", "arrivals report"],
    ] as const) {
      const wall = (r: Round) => (report === "services" ? r.servicesFigures : r.arrivalsFigures);
      const cpuMs = (r: Round) => (report === "services" ? r.servicesFiguresCpu : r.arrivalsFiguresCpu);
      const days = (r: Round) => (report === "services" ? r.servicesDays : r.arrivalsDays);
      const base = `api.centres.cross-${report}-3y.${size}-centres`;
      recorded.push(
        {
          name: `${base}.ms`,
          value: m(wall),
          target: size === 50 ? "<=1000" : null,
          reference: `${what} across ${size} centres, 3 years, from stored day-level figures (exact rows, before publication): median wall ms, min–max ${spread(wall)}; from every centre's day partials ${m(days)} ms`,
          workload,
        },
        {
          name: `${base}.cpu-ms`,
          value: m(cpuMs),
          target: null,
          reference: `the same, process CPU ms (user + system), min–max ${spread(cpuMs)}`,
          workload,
        },
      );
    }
  }
  recordFigures(recorded);
} finally {
  rmSync(work, { recursive: true, force: true });
}
