import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AgeBand, Gender } from "./common.js";
import {
  type CsvColumn,
  csvField,
  csvLines,
  hxlAgeAttribute,
  hxlGenderAttribute,
  hxlTag,
  toCsv,
} from "./csv.js";

// A strict RFC 4180 reader: CRLF between records, quotes only around whole fields, "" for a quote inside.
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (char === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== "," && text[i] !== "\r")
          throw new Error(`Junk after quote at ${i}`);
      } else {
        field += char;
        i += 1;
      }
    } else if (char === '"') {
      if (!fieldStart) throw new Error(`Bare quote at ${i}`);
      quoted = true;
      fieldStart = false;
      i += 1;
    } else if (char === ",") {
      record.push(field);
      field = "";
      fieldStart = true;
      i += 1;
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      fieldStart = true;
      i += 2;
    } else if (char === "\r" || char === "\n") {
      throw new Error(`Bare line break at ${i}`);
    } else {
      field += char;
      fieldStart = false;
      i += 1;
    }
  }
  if (quoted) throw new Error("Unclosed quote");
  if (!fieldStart || field !== "" || record.length > 0) throw new Error("Last record lacks its CRLF");
  return records;
}

interface Row {
  readonly text: string;
}
const textColumn: CsvColumn<Row> = { header: "Text", value: (row) => row.text };

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["line\r\nbreak", '"line\r\nbreak"'],
    ["lf\nonly", '"lf\nonly"'],
    ["cr\ronly", '"cr\ronly"'],
    ["", ""],
    ["  spaces kept  ", "  spaces kept  "],
    ["مرحبا، كيف حالك", "مرحبا، كيف حالك"],
    ["Douches 🚿 — ouvert", "Douches 🚿 — ouvert"],
    ["دری, پښتو", '"دری, پښتو"'],
  ])("writes %j as %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["+33 1 40 00 00 00", "'+33 1 40 00 00 00"],
    ["-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tTAB", "'\tTAB"],
    ["\rCR", '"\'\rCR"'],
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
  ])("defuses the formula %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    [-3, "-3"],
    ["-3", "-3"],
    ["+1.5", "+1.5"],
    ["-2e-3", "-2e-3"],
    [0.25, "0.25"],
    [true, "true"],
    [false, "false"],
    [null, ""],
    [undefined, ""],
  ] as const)("leaves the number or literal %j alone", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("refuses a number no spreadsheet can read", () => {
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("toCsv", () => {
  it("writes headers, the HXL row and rows with CRLF line ends", () => {
    const columns: CsvColumn<{ day: string; f: number; note?: string }>[] = [
      { header: "Day", hxl: "#date", value: (r) => r.day },
      {
        header: "Women reached",
        hxl: hxlTag("#reached", "+ind", hxlGenderAttribute("female")),
        value: (r) => r.f,
      },
      { header: "Note", value: (r) => r.note },
    ];
    const csv = toCsv(
      columns,
      [
        { day: "2026-11-28", f: 31, note: "Cold snap, extra hot drinks" },
        { day: "2026-11-29", f: 0 },
      ],
      {
        hxl: true,
      },
    );
    expect(csv).toBe(
      "Day,Women reached,Note\r\n" +
        "#date,#reached +ind +f,\r\n" +
        '2026-11-28,31,"Cold snap, extra hot drinks"\r\n' +
        "2026-11-29,0,\r\n",
    );
  });

  it("keeps every HXL cell under its own header, tagged or not", () => {
    const columns: CsvColumn<number>[] = [
      { header: "Untagged first", value: (n) => n },
      { header: "Org", hxl: "#org", value: () => "Aurore" },
      { header: "Untagged middle", value: () => null },
      { header: "Reached", hxl: "#reached +ind +m +age18_59", value: (n) => n * 2 },
      { header: "Untagged last", value: () => undefined },
    ];
    const records = parseCsv(toCsv(columns, [1, 2], { hxl: true }));
    expect(records.map((record) => record.length)).toEqual([5, 5, 5, 5]);
    expect(records[1]).toEqual(["", "#org", "", "#reached +ind +m +age18_59", ""]);
    expect(records[3]).toEqual(["2", "Aurore", "", "4", ""]);
  });

  it("leaves the HXL row out unless asked", () => {
    const columns: CsvColumn<number>[] = [{ header: "N", hxl: "#value", value: (n) => n }];
    expect(toCsv(columns, [7])).toBe("N\r\n7\r\n");
  });

  it("refuses a malformed hashtag and an empty column list", () => {
    const columns: CsvColumn<number>[] = [{ header: "N", hxl: "reached +f", value: (n) => n }];
    expect(() => toCsv(columns, [1], { hxl: true })).toThrow(RangeError);
    expect(() => toCsv([], [1])).toThrow(RangeError);
  });

  it("writes a header-only file for no rows", () => {
    expect(parseCsv(toCsv([textColumn], []))).toEqual([["Text"]]);
  });

  it("round-trips any text through an RFC 4180 reader, formulas defused", () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({
        unit: fc.constantFrom("a", "1", ".", ",", '"', "\r", "\n", "=", "-", "+", "@", "\t", " ", "ع", "🚿"),
      }),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), (texts) => {
        const records = parseCsv(
          toCsv(
            [textColumn],
            texts.map((t) => ({ text: t })),
          ),
        );
        expect(records).toHaveLength(texts.length + 1);
        records.slice(1).forEach(([cell], index) => {
          const original = texts[index] ?? "";
          expect([original, `'${original}`]).toContain(cell);
          if (cell !== original) expect(original).toMatch(/^[=+\-@\t\r]/);
          // Never a live formula in the file: what still starts like one is a plain signed number.
          if (cell !== undefined && /^[=+\-@\t\r]/.test(cell)) {
            expect(cell).toMatch(/^[+-][\d.]/);
            expect(Number.isFinite(Number(cell))).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("csvLines", () => {
  it("yields one CRLF-terminated line at a time, reading rows lazily", () => {
    const read: number[] = [];
    function* rows() {
      for (const n of [1, 2, 3]) {
        read.push(n);
        yield n;
      }
    }
    const lines = csvLines([{ header: "N", value: (n: number) => n }], rows());
    expect(lines.next().value).toBe("N\r\n");
    expect(read).toEqual([]);
    expect(lines.next().value).toBe("1\r\n");
    expect(read).toEqual([1]);
    expect([...lines]).toEqual(["2\r\n", "3\r\n"]);
  });

  it("concatenates to exactly what toCsv writes", () => {
    const columns: CsvColumn<Row>[] = [{ ...textColumn, hxl: "#description" }];
    const rows = [{ text: 'a "b", c' }, { text: "=x" }];
    expect([...csvLines(columns, rows, { hxl: true })].join("")).toBe(toCsv(columns, rows, { hxl: true }));
  });
});

describe("HXL vocabulary", () => {
  it("names every age band with an inclusive range attribute", () => {
    expect(AgeBand.options.map(hxlAgeAttribute)).toEqual([
      "+age0_4",
      "+age5_11",
      "+age12_17",
      "+age18_59",
      "+age60plus",
    ]);
  });

  it("names every gender", () => {
    expect(Gender.options.map(hxlGenderAttribute)).toEqual(["+f", "+m", "+i"]);
  });

  it("builds tag specs, skipping absent attributes", () => {
    expect(hxlTag("#reached", "+ind", hxlGenderAttribute("female"), hxlAgeAttribute("18-59"))).toBe(
      "#reached +ind +f +age18_59",
    );
    expect(hxlTag("#reached", "ind", undefined, null)).toBe("#reached +ind");
    expect(hxlTag("#date")).toBe("#date");
  });

  it("refuses malformed hashtags and attributes", () => {
    expect(() => hxlTag("reached")).toThrow(RangeError);
    expect(() => hxlTag("#reached", "+f m")).toThrow(RangeError);
    expect(() => hxlTag("#1reached")).toThrow(RangeError);
  });
});
