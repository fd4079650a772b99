// D1's binding API over an in-memory better-sqlite3 database, for `bench/worker-cpu.ts`: enough of
// `prepare`/`bind`/`all`/`raw`/`run`/`first`/`batch` for drizzle's D1 driver and the folded writes, with every
// migration applied. Not the D1 runtime: it answers at once, so what is measured around it is the Worker's
// own CPU.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

type Sqlite = InstanceType<typeof Database>;

/** Milliseconds spent inside SQLite so far (its calls are synchronous): what the Worker's CPU excludes. */
export const sqliteTime = { ms: 0 };
interface Prepared {
  reader: boolean;
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  raw(toggle: boolean): Prepared;
}
const preparedBySql = new Map<string, Prepared>();

function timed<T>(work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    sqliteTime.ms += performance.now() - started;
  }
}

const bindable = (value: unknown) =>
  value === undefined ? null : typeof value === "boolean" ? (value ? 1 : 0) : value;

function result(rows: unknown[]) {
  return { results: rows, success: true, meta: { changes: 0, duration: 0 } };
}

class Statement {
  constructor(
    readonly sqlite: Sqlite,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}
  bind(...params: unknown[]) {
    return new Statement(this.sqlite, this.sql, params.map(bindable));
  }
  // D1 keeps prepared statements too: a statement is compiled once per SQL text.
  #prepared() {
    let statement = preparedBySql.get(this.sql);
    if (!statement) {
      statement = this.sqlite.prepare(this.sql) as unknown as Prepared;
      preparedBySql.set(this.sql, statement);
    }
    return statement;
  }
  async all() {
    return this.allNow();
  }
  allNow() {
    return timed(() => {
      const statement = this.#prepared();
      if (!statement.reader) {
        statement.run(...this.params);
        return result([]);
      }
      return result(statement.raw(false).all(...this.params));
    });
  }
  async raw() {
    return timed(() => {
      const statement = this.#prepared();
      if (!statement.reader) {
        statement.run(...this.params);
        return [];
      }
      return statement.raw(true).all(...this.params);
    });
  }
  async run() {
    return this.allNow();
  }
  async first(column?: string) {
    const [row] = this.allNow().results as Record<string, unknown>[];
    if (row === undefined) return null;
    return column === undefined ? row : row[column];
  }
}

/** A migrated in-memory database behind D1's API (cast to `D1Database` by the caller). */
export function sqliteD1(migrationsDir: string) {
  const sqlite = new Database(":memory:");
  for (const file of readdirSync(migrationsDir)
    .filter((name) => name.endsWith(".sql"))
    .sort()) {
    sqlite.exec(readFileSync(join(migrationsDir, file), "utf8").replaceAll("--> statement-breakpoint", ""));
  }
  return {
    prepare: (sql: string) => new Statement(sqlite, sql),
    batch: async (statements: Statement[]) =>
      sqlite.transaction(() => statements.map((statement) => statement.allNow()))(),
    exec: async (sql: string) => {
      sqlite.exec(sql);
      return { count: 0, duration: 0 };
    },
    dump: async () => new ArrayBuffer(0),
    withSession: () => {
      throw new Error("not in the bench's D1");
    },
  };
}
