import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, type KeyedRecord, rollUp, uniqueVisitorsCellKey } from "./aggregate.js";
import { KEY_SPACE, type PerturbationTable, perturbationTable, perturbCount } from "./cell-key.js";
import type { AgeBand, Gender } from "./common.js";
import { SUPPRESSED_MARK, visitFiguresCsv } from "./figures.js";
import { publishVisitPeriod } from "./reports.js";
import type { Visit } from "./visit.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const TABLE = tableOf(5, 2);

/** A fixed, well-spread record key per visit (Knuth's multiplicative hash), as the database would draw. */
const keyOf = (n: number) => Math.imul(n + 1, 2_654_435_761) >>> 0 || 1;

function visit(
  n: number,
  ageBand: AgeBand | null,
  gender: Gender | null,
  code: string | null = null,
): KeyedRecord<Visit> {
  const at = `2026-11-${String(2 + (n % 20)).padStart(2, "0")}T09:00:00.000Z`;
  return {
    id: `v${n}`,
    centreId: "halte",
    arrivedAt: at,
    createdAt: at,
    updatedAt: at,
    visitorCodeHash: code,
    ageBand,
    gender,
    languages: n % 3 === 0 ? ["prs"] : n === 401 || n === 402 ? ["ti"] : [],
    firstVisit: n % 10 === 0,
    idempotencyKey: null,
    recordKey: keyOf(n),
  };
}

function monthOf(visits: KeyedRecord<Visit>[]) {
  const month = rollUp(aggregateVisitsByDay(visits, [], { timeZone: "Europe/Paris" }), "month").halte?.[
    "202611"
  ];
  if (!month) throw new Error("no month aggregate");
  return month;
}

function csvRow(visits: KeyedRecord<Visit>[]) {
  const figures = publishVisitPeriod("202611", monthOf(visits), TABLE);
  const lines = [...visitFiguresCsv([{ centreName: "La Halte de Jour", figures }], { hxl: true })];
  const [header, hxl, row] = lines.map((line) => line.replace(/\r\n$/, "").split(","));
  return { figures, lines, header: header ?? [], hxl: hxl ?? [], row: row ?? [] };
}

describe("visit figures for people without access to raw records", () => {
  // 120 men 18–59, 40 women 18–59, 3 girls 12–17 (small), 12 people who gave nothing.
  const visits = [
    ...Array.from({ length: 120 }, (_, n) => visit(n, "18-59", "male")),
    ...Array.from({ length: 40 }, (_, n) => visit(200 + n, "18-59", "female")),
    ...Array.from({ length: 3 }, (_, n) => visit(300 + n, "12-17", "female")),
    ...Array.from({ length: 12 }, (_, n) => visit(400 + n, null, null)),
  ];
  const sumOfKeys = (ns: number[]) => ns.reduce((sum, n) => (sum + keyOf(n)) % KEY_SPACE, 0);

  it("publishes every cell, each perturbed with the key of the visits it counts", () => {
    const { visits: table } = publishVisitPeriod("202611", monthOf(visits), TABLE);
    const all = visits.map((v) => Number(v.id.slice(1)));
    expect(table.grandTotal).toEqual({ value: perturbCount(175, sumOfKeys(all), TABLE), suppressed: false });
    const total = table.grandTotal.suppressed ? -1 : table.grandTotal.value;
    expect(Math.abs(total - 175)).toBeLessThanOrEqual(2);
    const girls = table.cells[table.rowLabels.indexOf("12-17")]?.[table.columnLabels.indexOf("female")];
    expect(girls).toEqual({ value: perturbCount(3, sumOfKeys([300, 301, 302]), TABLE), suppressed: false });
    expect([0, 5]).toContain(girls?.suppressed === false ? girls.value : -1);
    expect(
      [...table.cells.flat(), ...table.rowTotals, ...table.columnTotals].every((c) => !c.suppressed),
    ).toBe(true);
  });

  it("writes CSV with an HXL row, hides nothing and never writes a count of 1–4", () => {
    const { figures, lines, header, hxl, row } = csvRow(visits);
    expect(lines).toHaveLength(3);
    expect(header.slice(0, 3)).toEqual(["Period", "Centre", "Visits"]);
    expect(hxl.slice(0, 3)).toEqual(["#date", "#org", "#reached +ind"]);
    expect(hxl).toContain("#reached +ind +f +age12_17");
    const total = figures.visits.grandTotal.suppressed ? "" : String(figures.visits.grandTotal.value);
    expect(row.slice(0, 3)).toEqual(["202611", "La Halte de Jour", total]);
    const girlsColumn = hxl.indexOf("#reached +ind +f +age12_17");
    expect(["0", "5"]).toContain(row[girlsColumn]);
    expect(row).not.toContain(SUPPRESSED_MARK);
    const numbers = row.slice(2).map(Number);
    expect(numbers.every((n) => Number.isInteger(n) && (n === 0 || n >= 5))).toBe(true);
  });

  it("never writes a count of 1–4, whatever keys the visits drew", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: KEY_SPACE - 1 }), {
          minLength: visits.length,
          maxLength: visits.length,
        }),
        (keys) => {
          const { row } = csvRow(visits.map((v, i) => ({ ...v, recordKey: keys[i] })));
          const small = row
            .slice(2)
            .map(Number)
            .filter((n) => n > 0 && n < 5);
          expect(small).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("publishes three card holders as 0 or k unique visitors, with their own key", () => {
    const withCards = visits.map((v, n) =>
      n < 3 ? { ...v, visitorCodeHash: `${String(n + 1).repeat(64)}` } : v,
    );
    const month = monthOf(withCards);
    const { uniqueVisitors } = publishVisitPeriod("202611", month, TABLE);
    expect(month.uniqueVisitors).toBe(3);
    expect(uniqueVisitors).toEqual({
      value: perturbCount(3, uniqueVisitorsCellKey(month), TABLE),
      suppressed: false,
    });
    expect([0, 5]).toContain(uniqueVisitors.suppressed ? -1 : uniqueVisitors.value);
  });

  it("publishes visits by language, sorted, `unknown` for visits that gave none, and a column for each", () => {
    const speakers = (language: string) =>
      visits.filter((v) => v.languages.includes(language)).map((v) => Number(v.id.slice(1)));
    const published = (language: string) =>
      perturbCount(speakers(language).length, sumOfKeys(speakers(language)), TABLE);
    const { figures, hxl, row } = csvRow(visits);
    expect(figures.byLanguage[0]).toEqual({
      language: "prs",
      count: { value: published("prs"), suppressed: false },
    });
    expect(figures.byLanguage.at(-1)?.language).toBe("unknown");
    expect(row[hxl.indexOf("#reached +ind +lang_prs")]).toBe(String(published("prs")));
    // Two people spoke Tigrinya, and their keys publish the 2 as 0: Tigrinya is then not listed at all,
    // since listing it would say that somebody spoke it.
    expect(published("ti")).toBe(0);
    expect(figures.byLanguage.map((l) => l.language)).not.toContain("ti");
    expect(hxl).not.toContain("#reached +ind +lang_ti");
  });

  it("gives the same figures however often, and in whatever order, the visits are counted", () => {
    const once = csvRow(visits).lines;
    expect(csvRow([...visits].reverse()).lines).toEqual(once);
    expect(csvRow(visits).lines).toEqual(once);
  });
});
