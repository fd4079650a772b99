// One-row inserts for the hot writes (the door's tap, a partner's signed report), compiled once per shape:
// building an insert through drizzle's generic query builder was about an eighth of the Worker's own CPU per
// door tap (docs/benchmarks.md, "Where the door's CPU goes"), for SQL text that only depends on which columns
// the row leaves out. The first row of a shape is built by drizzle; later ones reuse its SQL and encode their
// values with the same columns' own encoders, so the statement is the one drizzle would have built.
import { type Column, getTableColumns, is, SQL, type Table } from "drizzle-orm";
import type { Db } from "../client.js";

type RawStatement = { sql: string; params: unknown[] };

interface Compiled {
  sql: string;
  /** The columns bound to a `?`, in order. */
  slots: Array<[key: string, column: Column]>;
}

const columnsByTable = new WeakMap<Table, Array<[string, Column]>>();
const compiledByTable = new WeakMap<Table, Map<string, Compiled>>();
const INSERT_VALUES = /^insert into "[^"]+" \((.+)\) values \((.+)\)$/s;

function columnsOf(table: Table): Array<[string, Column]> {
  let columns = columnsByTable.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table));
    columnsByTable.set(table, columns);
  }
  return columns;
}

/** The value drizzle binds for a column the row leaves undefined (its insert rule: default, then defaultFn). */
function absentValue(column: Column): unknown {
  if (column.default !== null && column.default !== undefined) return column.default;
  if (column.defaultFn !== undefined) return column.defaultFn();
  return column.onUpdateFn?.();
}

function encoded(column: Column, value: unknown): unknown {
  return value === null ? null : column.mapToDriverValue(value);
}

/**
 * `db.insert(table).values(row).toSQL()` for one row, the same SQL and parameters, without drizzle's query
 * builder after the first row of each shape (which columns are undefined). A row holding a drizzle `SQL`
 * value, or a column whose default is SQL, is built by drizzle every time.
 *
 * @example
 * const { sql, params } = compiledInsert(db, visits, row).toSQL(); // as db.insert(visits).values(row).toSQL()
 */
export function compiledInsert<T extends Table>(
  db: Db,
  table: T,
  row: T["$inferInsert"],
): { toSQL(): RawStatement } {
  const values = row as Record<string, unknown>;
  const columns = columnsOf(table);
  let shape = "";
  for (const [key, column] of columns) {
    const value = values[key];
    if (is(value, SQL) || (value === undefined && absentIsSql(column))) return drizzleInsert(db, table, row);
    shape += value === undefined ? "0" : "1";
  }
  let byShape = compiledByTable.get(table);
  if (!byShape) {
    byShape = new Map();
    compiledByTable.set(table, byShape);
  }
  const compiled = byShape.get(shape);
  if (!compiled) {
    const built = drizzleInsert(db, table, row).toSQL();
    const slots = slotsOf(built.sql, columns);
    if (slots && slots.length === built.params.length) byShape.set(shape, { sql: built.sql, slots });
    return { toSQL: () => built };
  }
  const params = compiled.slots.map(([key, column]) => {
    const value = values[key];
    return encoded(column, value === undefined ? absentValue(column) : value);
  });
  return { toSQL: () => ({ sql: compiled.sql, params }) };
}

// Whether a column gives SQL (not a value) for an absent value: then drizzle builds every such row. A
// function default is asked once per column; its value is drawn again for every row, only its kind is kept.
const functionGivesSql = new WeakMap<Column, boolean>();
function absentIsSql(column: Column): boolean {
  if (column.default !== null && column.default !== undefined) return is(column.default, SQL);
  if (column.defaultFn === undefined && column.onUpdateFn === undefined) return false;
  let givesSql = functionGivesSql.get(column);
  if (givesSql === undefined) {
    givesSql = is(absentValue(column), SQL);
    functionGivesSql.set(column, givesSql);
  }
  return givesSql;
}

function drizzleInsert<T extends Table>(db: Db, table: T, row: T["$inferInsert"]) {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's insert is typed per SQLite table; any table of ours is one.
  return db.insert(table as any).values(row as any);
}

/** Which columns of drizzle's `insert into … (cols) values (…)` are bound (`?`), in order; null if not that shape. */
function slotsOf(sql: string, columns: Array<[string, Column]>): Array<[string, Column]> | null {
  const match = INSERT_VALUES.exec(sql);
  if (!match?.[1] || !match[2]) return null;
  const names = match[1].split(", ");
  const values = match[2].split(", ");
  if (names.length !== values.length) return null;
  const byName = new Map(
    columns.map(([key, column]) => [`"${column.name}"`, [key, column] as [string, Column]]),
  );
  const slots: Array<[string, Column]> = [];
  for (let i = 0; i < names.length; i++) {
    if (values[i] !== "?") continue;
    const slot = byName.get(names[i] as string);
    if (!slot) return null;
    slots.push(slot);
  }
  return slots;
}
