// What the seed's modules share: one deterministic random stream (fixed seed, so every run writes the same
// centre), SQL literals and multi-row INSERT OR IGNORE statements, and day arithmetic on YYYY-MM-DD strings.
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const random = mulberry32(20191531);
export const pick = (weighted) => {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1][0];
};

export function sql(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/** Multi-row INSERT OR IGNORE statements of at most `perStatement` rows. */
export function inserts(table, columns, rows, perStatement = 150) {
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows
      .slice(i, i + perStatement)
      .map((row) => `(${columns.map((c) => sql(row[c])).join(",")})`);
    statements.push(`INSERT OR IGNORE INTO ${table} (${columns.join(",")}) VALUES\n${values.join(",\n")};`);
  }
  return statements;
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
