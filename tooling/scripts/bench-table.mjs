#!/usr/bin/env node
// Prints every figure of bench/results.json as a table — headline figures (those with a target) first, with
// met / missed, then the figures kept for information — and writes the same table to bench/results.md. A
// ratio measured in rounds is the median of its per-round ratios, shown with their spread (min–max).
// Run by `npm run bench` after the benchmarks; `node tooling/scripts/bench-table.mjs` on its own re-prints
// the last results. Exits 0 even when a target is missed: docs/benchmarks.md says what remains.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const resultsPath = join(root, "bench", "results.json");
const tablePath = join(root, "bench", "results.md");

/** Whether a value meets a target written `<=3`, `>=0.8`, `<3` or `>0.5`; `null` for an unreadable target. */
export function meets(value, target) {
  const match = /^\s*(<=|>=|<|>|≤|≥)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(target);
  if (!match) return null;
  const bound = Number(match[2]);
  switch (match[1]) {
    case "<=":
    case "≤":
      return value <= bound;
    case ">=":
    case "≥":
      return value >= bound;
    case "<":
      return value < bound;
    default:
      return value > bound;
  }
}

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");

/** Rows of a Markdown table, the header first. */
function markdownTable(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** The same rows aligned in columns, for a terminal. */
function plainTable(header, rows) {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (row) => row.map((text, i) => String(text).padEnd(widths[i])).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

if (!existsSync(resultsPath)) {
  console.error(`No ${resultsPath}: run the benchmarks first (npm run bench)`);
  process.exit(1);
}
const { figures = [] } = JSON.parse(readFileSync(resultsPath, "utf8"));
const headline = figures.filter((figure) => figure.target !== null && figure.target !== undefined);
const information = figures.filter((figure) => figure.target === null || figure.target === undefined);

/** A ratio measured in rounds: the spread of its per-round ratios and how many rounds, or "". */
const spreadOf = (figure) =>
  figure.min === undefined || figure.max === undefined
    ? ""
    : `${figure.min}–${figure.max} (${figure.rounds ?? "?"} rounds)`;

const headlineRows = headline.map((figure) => {
  const met = meets(figure.value, figure.target);
  const verdict = met === null ? "?" : met ? "met" : "MISSED";
  return [figure.name, figure.value, spreadOf(figure), figure.target, verdict];
});
const informationRows = information.map((figure) => [
  figure.name,
  figure.value,
  spreadOf(figure),
  figure.reference,
]);
const missed = headlineRows.filter((row) => row[4] === "MISSED").length;

const headlineHeader = ["figure", "value", "spread of the rounds", "target", "met"];
const informationHeader = ["figure", "value", "spread of the rounds", "what"];
console.log(
  `\nBenchmark figures (bench/results.json), ${headline.length} with a target, ${missed} missed:\n`,
);
console.log(plainTable(headlineHeader, headlineRows));
console.log("\nFor information:\n");
console.log(plainTable(informationHeader, informationRows));

const workloads = [
  ...new Set(
    headline.map((figure) => `- \`${figure.name}\`: ${figure.workload}; against ${figure.reference}`),
  ),
];
writeFileSync(
  tablePath,
  [
    "# Benchmark figures",
    "",
    "Made by `npm run bench` (tooling/scripts/bench-table.mjs) from `bench/results.json`; docs/benchmarks.md",
    "explains each figure, the workloads and what remains where a target is missed. A ratio measured in rounds",
    "(the sides alternating, the order rotated each round) is the median of its per-round ratios, with their",
    "spread.",
    "",
    `## With a target (${headline.length}, ${missed} missed)`,
    "",
    markdownTable(headlineHeader, headlineRows),
    "",
    "## For information",
    "",
    markdownTable(informationHeader, informationRows),
    "",
    "## Workloads and references",
    "",
    ...workloads,
    "",
  ].join("\n"),
);
console.log(`\nWritten to ${tablePath}`);
