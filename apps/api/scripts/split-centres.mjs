#!/usr/bin/env node
// The move from one database to many (docs/deploy.md, "Moving to one database per centre"). For each
// centre still in the directory's database (`d1_binding = 'DB'`): its database and binding (as
// centre:add makes them), the migrations, a copy of its centre row and partners, then every row of its
// centre tables and its audit rows (packages/db/src/homes.ts), page by page in foreign-key order; the
// counts of every table compared; only when they are equal, the directory names the new binding; only then
// are the moved rows deleted from the directory. Run it with the Worker's traffic and cron stopped.
//
// Resumable: every copy is INSERT OR IGNORE (or an upsert for the copied rows), so a run interrupted
// anywhere is run again as it is. A centre already naming its own binding with rows left in the directory
// (interrupted while deleting) has them copied again, counted, and deleted; a centre fully moved is skipped.
//
//   npm run centres:split -- [--local [--persist-to DIR]] [--dry-run] [--centre <slug>]… [--page-size N]
import { readFileSync, writeFileSync } from "node:fs";
import { fail } from "./cli.mjs";
import { insertStatements, parseOperatorCli } from "./d1-runner.mjs";
import {
  assertSafeId,
  COPIED_TABLES,
  centreFilter,
  countMismatches,
  countsSql,
  DELETE_ORDER,
  deletePageSql,
  MOVED_TABLES,
  mayWrite,
  pageSql,
} from "./split-plan.mjs";
import {
  centreBindingEntry,
  centreBindingOf,
  centreDatabaseNameOf,
  d1BindingsOf,
  localDatabaseIdOf,
  withD1Binding,
} from "./wrangler-config.mjs";

const usage = `usage: npm run centres:split -- [--local [--persist-to DIR]] [--dry-run] [--centre <slug>]…
       [--page-size 2000] [--location weur] [--config wrangler.jsonc]
  --local     against the local wrangler state (the demo's and the tests'); without it, the account's
  --dry-run   print the plan, every command and its SQL, and change nothing (offline; with --local it
              reads the local directory to name the centres and count their rows)`;

function parse() {
  const { values, runner } = parseOperatorCli(usage, {
    centre: { type: "string", multiple: true },
    "page-size": { type: "string", default: "2000" },
    location: { type: "string" },
  });
  const pageSize = Number(values["page-size"]);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    fail("--page-size is a whole number from 1 to 10000.", 2);
  }
  return { options: { ...values, pageSize }, runner };
}

/** The centre's rows of every moved and copied table, counted in one database. */
function counts(runner, binding, centreId) {
  const [[row]] = runner.query(binding, countsSql([...COPIED_TABLES, ...MOVED_TABLES], centreId), {
    quiet: true,
  });
  return row;
}

/** Upserts of the copied rows (the centre's row naming its new binding, its partners, home or linked). */
function copiedRowsStatements(runner, centre, binding) {
  const [centres, partners] = runner.query(
    "DB",
    `SELECT * FROM centres WHERE ${centreFilter("centres", centre.id)}; ` +
      `SELECT * FROM partners WHERE ${centreFilter("partners", centre.id)}`,
    { quiet: true },
  );
  const upsert = (table, rows) => {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]);
    const set = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`);
    return insertStatements(table, columns, rows, {
      verb: "",
      tail: ` ON CONFLICT(id) DO UPDATE SET ${set.join(", ")}`,
    });
  };
  return [
    ...upsert(
      "centres",
      centres.map((c) => ({ ...c, d1_binding: binding })),
    ),
    // A partner linked to the centre (not its home) is copied naming the centre, as the API's link does: the
    // centre's database holds no other centre row for its key to name.
    ...upsert(
      "partners",
      partners.map((p) => ({ ...p, centre_id: centre.id })),
    ),
  ];
}

/**
 * Copies the centre's moved rows, page by page: each round reads a page of every table not yet done and
 * writes them in foreign-key order; a page whose parent table is not complete yet is read again later.
 */
function copyRows(runner, centre, binding, pageSize) {
  const after = new Map(MOVED_TABLES.map((t) => [t, 0]));
  let copied = 0;
  while (after.size > 0) {
    const tables = MOVED_TABLES.filter((t) => after.has(t));
    const sql = tables.map((t) => pageSql(t, centre.id, after.get(t), pageSize)).join("; ");
    const pages = runner.query("DB", sql, { quiet: true });
    const statements = [];
    tables.forEach((table, i) => {
      if (!mayWrite(table, after)) return;
      const rows = pages[i] ?? [];
      if (rows.length < pageSize) after.delete(table);
      else after.set(table, rows[rows.length - 1].__rowid);
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]).filter((c) => c !== "__rowid");
      statements.push(...insertStatements(table, columns, rows));
      copied += rows.length;
    });
    if (statements.length > 0) {
      runner.execute(binding, `copy ${copied} rows so far into ${binding}`, statements, {
        printed: [`(${statements.length} INSERT OR IGNORE statements)`],
      });
    }
  }
  return copied;
}

/** Deletes the centre's moved rows from the directory, a page of every table per call, until none is left. */
function deleteMovedRows(runner, centre, pageSize) {
  runner.announce(`delete ${centre.slug}'s moved rows from the directory, children first`);
  for (;;) {
    const sql = [
      ...DELETE_ORDER.map((t) => deletePageSql(t, centre.id, pageSize)),
      countsSql(MOVED_TABLES, centre.id),
    ];
    const results = runner.query("DB", sql.join(" "), { quiet: true });
    const left = results[results.length - 1][0];
    if (MOVED_TABLES.every((t) => Number(left[t]) === 0)) return;
  }
}

/** Adds the centre's binding to the config (creating the database first on the account) if it is missing. */
function ensureBinding(runner, options, slug, binding) {
  const configPath = runner.config;
  const text = readFileSync(configPath, "utf8");
  if (d1BindingsOf(text).some((b) => b.binding === binding)) return false;
  const name = centreDatabaseNameOf(slug);
  const id =
    runner.mode === "local" ? localDatabaseIdOf(name) : runner.create(name, binding, options.location);
  const note = `${name}: added by centres:split${runner.mode === "local" ? " --local (a local-only id)" : ""}`;
  const entry = centreBindingEntry(binding, name, id);
  runner.announce(`add the binding to ${options.config} (d1_databases)`, null, [
    `// ${note}`,
    JSON.stringify(entry),
  ]);
  if (!runner.dryRun) writeFileSync(configPath, withD1Binding(text, entry, note));
  return true;
}

/** Prints what the move of one centre would do (a dry run), with its row counts when the directory was read. */
function describeMove(runner, centre, binding, pageSize) {
  const inDirectory = runner.mode === "local" ? counts(runner, "DB", centre.id) : null;
  runner.announce(
    `copy ${centre.slug}'s centre row (naming ${binding}) and partners into ${binding} (upserts)`,
  );
  for (const table of MOVED_TABLES) {
    const n = inDirectory ? ` — ${inDirectory[table]} rows` : "";
    runner.out(
      `      ${table}${n}: ${pageSql(table, centre.id, "<last rowid>", pageSize)} → INSERT OR IGNORE`,
    );
  }
  runner.announce(`compare the counts of every table in DB and ${binding}: ${countsSql(["…"], centre.id)}`);
  runner.announce(`when equal: UPDATE centres SET d1_binding = '${binding}' WHERE id = '${centre.id}' (DB)`);
  runner.announce("delete the moved rows from the directory, children first, page by page", null, [
    ...DELETE_ORDER.map((t) => deletePageSql(t, centre.id, pageSize)),
  ]);
}

/** Moves one centre; returns a line for the summary. */
function moveCentre(runner, options, centre) {
  const binding = centre.d1_binding === "DB" ? centreBindingOf(centre.slug) : centre.d1_binding;
  runner.out(`\n== ${centre.slug} (${centre.id}) → ${binding}`);
  if (runner.dryRun) {
    describeMove(runner, centre, binding, options.pageSize);
    return `${centre.slug}: would move to ${binding}`;
  }
  const before = counts(runner, "DB", centre.id);
  if (centre.d1_binding !== "DB" && MOVED_TABLES.every((t) => Number(before[t]) === 0)) {
    return `${centre.slug}: already in ${binding}`;
  }
  const statements = copiedRowsStatements(runner, centre, binding);
  runner.execute(binding, `copy ${centre.slug}'s centre row and partners into ${binding}`, statements, {
    printed: [`(${statements.length} upserts)`],
  });
  const copied = copyRows(runner, centre, binding, options.pageSize);
  const mismatches = countMismatches(counts(runner, "DB", centre.id), counts(runner, binding, centre.id), {
    resumed: centre.d1_binding !== "DB",
  });
  if (mismatches.length > 0) {
    const lines = mismatches.map((m) => `  ${m.table}: ${m.directory} in DB, ${m.centre} in ${binding}`);
    fail(
      `The counts of ${centre.slug} differ; the directory still serves it and nothing was deleted:\n` +
        `${lines.join("\n")}\nWere writes stopped? Run the move again once they are (it resumes).`,
    );
  }
  runner.out(`    counts agree in DB and ${binding} (${copied} rows copied)`);
  if (centre.d1_binding === "DB") {
    runner.execute("DB", `the directory names ${binding} for ${centre.slug}`, [
      `UPDATE centres SET d1_binding = '${binding}' WHERE id = '${centre.id}' AND d1_binding = 'DB';`,
    ]);
  }
  deleteMovedRows(runner, centre, options.pageSize);
  return `${centre.slug}: moved to ${binding} (${copied} rows), directory emptied of them`;
}

function main() {
  const { options, runner } = parse();
  const { mode } = runner;
  runner.out(
    `${runner.dryRun ? "Dry run (nothing is changed): " : ""}moving centres to their own databases (${mode}).`,
  );
  const listed = runner.query("DB", "SELECT id, slug, d1_binding FROM centres ORDER BY slug");
  const all = listed?.[0] ?? [{ id: "<centre id>", slug: "<slug>", d1_binding: "DB" }];
  if (listed === null)
    runner.out(
      "    (dry run: the remote directory is not read; each centre it lists would be moved as below)",
    );
  const wanted = options.centre ?? [];
  const unknown = wanted.filter((slug) => listed !== null && !all.some((c) => c.slug === slug));
  if (unknown.length > 0)
    fail(`No centre with the slug ${unknown.join(", ")} in the directory; nothing was changed.`);
  const chosen = all.filter((c) => wanted.length === 0 || listed === null || wanted.includes(c.slug));
  if (listed !== null) for (const centre of chosen) assertSafeId(centre.id);

  // First every database and binding (the Worker, once deployed with them, still reads the directory: no
  // centre names them yet), then the rows, centre by centre.
  const added = [];
  for (const centre of chosen.filter((c) => c.d1_binding === "DB")) {
    const binding = centreBindingOf(centre.slug);
    if (ensureBinding(runner, options, centre.slug, binding)) added.push(binding);
    runner.migrate(binding);
  }
  if (mode === "remote" && added.length > 0) runner.deploy();
  const summary = chosen.map((centre) => moveCentre(runner, options, centre));
  // Every isolate holds each centre's binding for its life (src/databases.ts): a new deployment starts them afresh.
  if (mode === "remote") runner.deploy();
  runner.out(`\n${summary.join("\n")}`);
  runner.out(
    runner.dryRun
      ? "\nDry run: nothing was changed."
      : mode === "local"
        ? "\nDone. Restart `wrangler dev` (npm run demo) so it binds the new databases."
        : "\nDone. Check the figures (docs/deploy.md), then let the traffic and the cron back in.",
  );
}

main();
