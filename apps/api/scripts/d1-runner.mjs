// The operator's D1 steps as wrangler commands (scripts/centre-add.mjs, scripts/split-centres.mjs), run
// against the local wrangler state (`--local`, what the tests and the demo use) or the account's databases
// (`--remote`), or only printed (`--dry-run`, offline: nothing is run and nothing changes). Every step goes
// through the same `wrangler d1 …` command line in each mode, so what the tests run is what an operator runs,
// but for the `--local`/`--remote` flag.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { parseArgs } from "node:util";
import { fail } from "./cli.mjs";
import { apiDir, wrangler } from "./wrangler.mjs";

/** D1 refuses a statement over 100 KB: inserts are cut into statements below this size. */
export const MAX_STATEMENT_BYTES = 90_000;

/** A value as a SQL literal (text quoted, numbers as they are, null as NULL). */
export function sqlLiteral(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * `INSERT <verb> INTO table (columns) VALUES (…), (…) <tail>;` statements for the rows, each under
 * {@link MAX_STATEMENT_BYTES}.
 */
export function insertStatements(table, columns, rows, { verb = "OR IGNORE", tail = "" } = {}) {
  const head = `INSERT ${verb ? `${verb} ` : ""}INTO ${table} (${columns.join(", ")}) VALUES `;
  const statements = [];
  let values = [];
  let size = head.length + tail.length;
  for (const row of rows) {
    const tuple = `(${columns.map((c) => sqlLiteral(row[c])).join(", ")})`;
    if (values.length > 0 && size + tuple.length + 2 > MAX_STATEMENT_BYTES) {
      statements.push(`${head}${values.join(", ")}${tail};`);
      values = [];
      size = head.length + tail.length;
    }
    values.push(tuple);
    size += tuple.length + 2;
  }
  if (values.length > 0) statements.push(`${head}${values.join(", ")}${tail};`);
  return statements;
}

/** Quotes an argument for the printed command line (what an operator would paste into a shell). */
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

export class D1Runner {
  /**
   * @param {{ mode: "local" | "remote", dryRun: boolean, config: string, persistTo?: string,
   *   out?: (line: string) => void }} options
   */
  constructor({ mode, dryRun, config, persistTo, out = (line) => process.stdout.write(`${line}\n`) }) {
    this.mode = mode;
    this.dryRun = dryRun;
    this.config = config;
    this.persistTo = persistTo;
    this.out = out;
    this.step = 0;
  }

  /** `--local [--persist-to DIR]` or `--remote`, and the config. */
  targetArgs() {
    const where =
      this.mode === "local"
        ? ["--local", ...(this.persistTo ? ["--persist-to", this.persistTo] : [])]
        : ["--remote"];
    return [...where, "--config", this.config];
  }

  /** Prints a step: its number, what it does, and the exact command (and SQL) it runs. */
  announce(what, args, sql) {
    this.step++;
    this.out(`\n[${this.step}] ${what}`);
    if (args) this.out(`    $ wrangler ${args.map(shellQuote).join(" ")}`);
    if (sql) for (const line of sql) this.out(`      ${line}`);
  }

  /** Runs wrangler unless dry; returns its stdout (null when dry). */
  run(args) {
    if (this.dryRun) return null;
    return wrangler(args, { maxBuffer: 512 * 1024 * 1024 });
  }

  /**
   * Reads with SELECTs (several, separated by `;`): each statement's rows, in order. Reads of the local
   * state run in a dry run too (they change nothing, and need no network); remote reads do not (null).
   */
  query(binding, sql, { quiet = false } = {}) {
    const args = ["d1", "execute", binding, ...this.targetArgs(), "--json", "--command", sql];
    if (!quiet) this.announce(`read ${binding}`, args);
    if (this.dryRun && this.mode !== "local") return null;
    const stdout = wrangler(args, { maxBuffer: 512 * 1024 * 1024 });
    const parsed = JSON.parse(stdout.slice(stdout.indexOf("[")));
    return parsed.map((result) => result.results ?? []);
  }

  /** Writes statements to a file and executes it in the binding's database. */
  execute(binding, what, statements, { printed = statements } = {}) {
    const work = mkdtempSync(join(tmpdir(), "halte-d1-"));
    const file = join(work, "statements.sql");
    try {
      writeFileSync(file, statements.join("\n"));
      const args = ["d1", "execute", binding, ...this.targetArgs(), "--file", file];
      this.announce(
        what,
        this.dryRun ? [...args.slice(0, -1), "<a file holding the SQL below>"] : args,
        printed,
      );
      this.run(args);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Applies every migration not yet applied to the binding's database. */
  migrate(binding) {
    const args = ["d1", "migrations", "apply", binding, ...this.targetArgs()];
    this.announce(`apply the migrations to ${binding}`, args);
    this.run(args);
  }

  /**
   * Creates a database in the account (remote only: a local database exists as soon as a command names its
   * binding) and returns its id, read from wrangler's output.
   */
  create(name, binding, location) {
    const args = ["d1", "create", name, "--binding", binding, "--config", this.config];
    if (location) args.push("--location", location);
    this.announce(`create the database ${name}`, args);
    const stdout = this.run(args);
    if (stdout === null) return "<database_id printed by wrangler d1 create>";
    const id = /"database_id":\s*"([0-9a-f-]{36})"/.exec(stdout)?.[1];
    if (!id) throw new Error(`wrangler d1 create printed no database_id:\n${stdout}`);
    return id;
  }

  /** Deploys the Worker (remote only), so that it binds every database the config names. */
  deploy() {
    const args = ["deploy", "--config", this.config];
    this.announce("deploy the Worker with the new binding", args);
    this.run(args);
  }
}

/**
 * Parses an operator tool's arguments: its own `options`, plus `--local`, `--dry-run`, `--config`,
 * `--persist-to` and `--help` (usage printed, exit 0); exits 2 on a usage problem. Returns the values, the
 * positionals and a runner for the chosen target.
 */
export function parseOperatorCli(usage, options, { allowPositionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals,
      options: {
        ...options,
        local: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        config: { type: "string", default: "wrangler.jsonc" },
        "persist-to": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${error.message}\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values["persist-to"] && !values.local) fail("--persist-to goes with --local only.", 2);
  const runner = new D1Runner({
    mode: values.local ? "local" : "remote",
    dryRun: values["dry-run"],
    config: isAbsolute(values.config) ? values.config : join(apiDir, values.config),
    persistTo: values["persist-to"],
  });
  return { values, positionals, runner };
}
