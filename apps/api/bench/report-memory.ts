// What the visits report holds in memory while it reads three years of a busy centre's day partials
// (docs/scale.md, "What a report holds in memory"): the route's own `visitPeriodPartials` (a page of days at
// a time, rolled up as read) against reading every partial first and rolling up after (the route until
// December 2026), each in a fresh Node process, by month, week and day, for 1 and 5 centres. A Worker's
// isolate may use 128 MB: each side is run with V8's old-generation heap capped at 32, 64, 128, 256 and
// 512 MB in turn, and the smallest cap it finishes under is reported (the cap counts the modules loaded,
// ~20 MB, as an isolate does). Peak resident memory (`process.resourceUsage().maxRSS`, above the process's
// own after loading the modules and opening the files) and the time are read from a run without a cap:
// without one, V8 collects lazily, so resident memory overstates what the work needs.
// Run: `cd apps/api && npx tsx bench/report-memory.ts` (HALTE_BENCH_SCALE=1). Writes figures to
// bench/results.json (merged). Not in `npm test`.
// Must stay the first import, as in src/worker.ts: core's schemas need zod extended before they are built.
import "../src/zod-openapi.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  mergeVisitAggregates,
  parseVisitAggregate,
  type RollUpPeriod,
  rollUp,
  type VisitAggregate,
} from "@halte/core";
import { rollupsBetween } from "@halte/db";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import type { Databases } from "../src/databases.js";
import { type ReportScope, visitPeriodPartials } from "../src/routes/reports/scope.js";
import {
  buildTemplate,
  centreIdOf,
  dayFiguresTemplates,
  migrate,
  monthTemplates,
  open,
  pastMonthTemplates,
  writeCentre,
} from "./centres-setup.js";
import { machineLoad } from "./harness.js";

const FROM = "2023-01-01";
const CAPS = [32, 64, 128, 256, 512];
const TO = "2025-12-30";
type Side = "streamed" | "whole";

/** The child: one side, one period type, over the given centre files; prints what it measured. */
async function child(side: Side, type: RollUpPeriod, files: string[]) {
  const opened = files.map((file) => open(file));
  const centreIds = files.map((_, i) => centreIdOf(i + 1));
  const before = process.resourceUsage().maxRSS;
  const started = performance.now();
  let periods = 0;
  if (side === "streamed") {
    const dbs = { dbFor: async (id: string) => opened[centreIds.indexOf(id)]?.db } as unknown as Databases;
    const scope = { centreIds, from: FROM, to: TO } as ReportScope;
    periods = Object.keys((await visitPeriodPartials(dbs, scope, type)).byPeriod).length;
  } else {
    const days: Record<string, VisitAggregate> = {};
    for (const [i, centreId] of centreIds.entries()) {
      for (const row of await rollupsBetween(opened[i]?.db as never, centreId, FROM, TO)) {
        const parsed = parseVisitAggregate(row.aggregate);
        if (!parsed.ok) throw new Error(`partial of ${row.localDay}`);
        const known = days[row.localDay];
        days[row.localDay] = known === undefined ? parsed.value : mergeVisitAggregates(known, parsed.value);
      }
    }
    periods = Object.keys(type === "day" ? days : (rollUp({ all: days }, type).all ?? {})).length;
  }
  const ms = performance.now() - started;
  const peakMb = (process.resourceUsage().maxRSS - before) / 1024;
  console.log(JSON.stringify({ ms, peakMb, periods }));
}

function runChild(side: Side, type: RollUpPeriod, files: string[], heapMb: number) {
  const run = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMb}`,
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "child",
      side,
      type,
      ...files,
    ],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  if (run.status !== 0 || !line.startsWith("{")) return null;
  return JSON.parse(line) as { ms: number; peakMb: number; periods: number };
}

if (process.argv[2] === "child") {
  await child(process.argv[3] as Side, process.argv[4] as RollUpPeriod, process.argv.slice(5));
} else {
  const work = mkdtempSync(join(tmpdir(), "halte-bench-memory-"));
  try {
    const loadBefore = machineLoad();
    const built = await buildTemplate(work);
    const months = monthTemplates(built.days);
    const template = {
      ...built,
      months,
      pastMonths: pastMonthTemplates(months),
      dayFigures: dayFiguresTemplates(built.days),
    };
    const empty = join(work, "empty.sqlite");
    migrate(empty);
    const files = [1, 2, 3, 4, 5].map((n) => writeCentre(work, template, n, empty));
    const rows: string[] = [];
    const figures = [];
    for (const centres of [1, 5]) {
      for (const type of ["month", "week", "day"] as const) {
        const measured: Record<Side, { peakMb: number; ms: number; capMb: number | null } | null> = {
          streamed: null,
          whole: null,
        };
        for (const side of ["streamed", "whole"] as const) {
          const free = runChild(side, type, files.slice(0, centres), 4096);
          const capMb =
            CAPS.find((cap) => runChild(side, type, files.slice(0, centres), cap) !== null) ?? null;
          if (free) measured[side] = { peakMb: free.peakMb, ms: free.ms, capMb };
          console.log(`  ${centres} centre(s), by ${type}, ${side}: ${JSON.stringify(measured[side])}`);
        }
        const cell = (side: Side) => {
          const m = measured[side];
          const cap = m?.capMb === null ? "over 512 MB" : `≤ ${m?.capMb} MB`;
          return m
            ? `heap ${cap}; ${Math.round(m.peakMb)} MB resident uncapped; ${Math.round(m.ms)} ms`
            : "failed";
        };
        rows.push(`| ${centres} | ${type} | ${cell("streamed")} | ${cell("whole")} |`);
        if (measured.streamed) {
          figures.push({
            name: `api.report-memory.${centres}-centre${centres > 1 ? "s" : ""}.by-${type}.heap-mb`,
            value: measured.streamed.capMb ?? 1024,
            target: "<=128",
            reference: `the smallest V8 heap cap (of 32, 64, 128, 256, 512 MB) the visits report's reading (visitPeriodPartials) of 3 years by ${type} finishes under; reading every partial first (before): ${measured.whole?.capMb ? `${measured.whole.capMb} MB` : "over 512 MB"}; uncapped peak resident ${Math.round(measured.streamed.peakMb)} MB (before: ${measured.whole ? Math.round(measured.whole.peakMb) : "?"} MB), ${Math.round(measured.streamed.ms)} ms (before: ${measured.whole ? Math.round(measured.whole.ms) : "?"} ms)`,
            workload: `${centres} busy centre(s) (scale 1: ~1,500 visits a day), ${FROM}..${TO} of day partials, in-process SQLite, fresh Node process per side; machine load ${loadBefore} before, ${machineLoad()} after`,
          });
        }
      }
    }
    console.log(
      `\n| centres | period | page at a time (the route) | every partial first (before) |\n| --- | --- | --- | --- |\n${rows.join("\n")}`,
    );
    recordFigures(figures);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
