#!/usr/bin/env node
// Adds a centre with its own database (docs/deploy.md, "Adding a centre"): creates `halte-centre-<slug>`,
// adds its binding `CENTRE_<SLUG>` to wrangler.jsonc (comments kept), applies the migrations to it, writes
// the copy of the centre's row into it, deploys the Worker (remote only) and finally the directory's row,
// which names the binding. The directory row comes last: until it exists no request can reach the centre,
// so an interruption leaves nothing the API serves wrongly.
//
//   npm run centre:add -- <slug> [--name "…"] [--time-zone Europe/Paris] [--location weur] [--local] [--dry-run]
import { readFileSync, writeFileSync } from "node:fs";
import { CentreInput } from "@halte/core";
import { fail } from "./cli.mjs";
import { insertStatements, parseOperatorCli } from "./d1-runner.mjs";
import { uuidv7 } from "./ids.mjs";
import {
  centreBindingEntry,
  centreBindingOf,
  centreDatabaseNameOf,
  d1BindingsOf,
  localDatabaseIdOf,
  withD1Binding,
} from "./wrangler-config.mjs";

const usage = `usage: npm run centre:add -- <slug> [--name "Centre name"] [--time-zone Europe/Paris]
       [--location weur] [--local [--persist-to DIR]] [--dry-run] [--config wrangler.jsonc]
  --local     against the local wrangler state (the demo's and the tests'); without it, the account's
  --dry-run   print every command, SQL statement and config change, and change nothing (offline)`;

function parse() {
  const { values, positionals, runner } = parseOperatorCli(
    usage,
    {
      name: { type: "string" },
      "time-zone": { type: "string", default: "Europe/Paris" },
      location: { type: "string" },
    },
    { allowPositionals: true },
  );
  if (positionals.length !== 1) fail(`Name one centre slug.\n${usage}`, 2);
  return { slug: positionals[0], options: values, runner };
}

/** The centre as @halte/core validates it (the API's own rules for a slug, a name and a time zone). */
function centreInput(slug, options) {
  const name = options.name ?? slug.replaceAll("-", " ").replace(/^./, (c) => c.toUpperCase());
  const parsed = CentreInput.safeParse({
    name,
    slug,
    openingHours: { timeZone: options["time-zone"], weekly: [], exceptions: [] },
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join(".") || "centre"}: ${i.message}`);
    fail(`The centre is not valid; nothing was changed:\n${issues.join("\n")}`, 2);
  }
  return parsed.data;
}

/** The centres row, snake_case, as both the directory and the copy hold it. */
export function centreRow(input, { id, at, binding }) {
  return {
    id,
    created_at: at,
    updated_at: at,
    name: input.name,
    slug: input.slug,
    address: input.address ?? null,
    opening_hours: JSON.stringify(input.openingHours),
    time_zone: input.openingHours.timeZone,
    daily_capacity: input.dailyCapacity ?? null,
    disclosure_threshold: input.disclosureThreshold,
    perturbation_max_noise: input.perturbationMaxNoise,
    retention_months: input.retentionMonths,
    languages: JSON.stringify(input.languages),
    door_languages: JSON.stringify(input.doorLanguages),
    archived_at: null,
    d1_binding: binding,
  };
}

function main() {
  const { slug, options, runner } = parse();
  const input = centreInput(slug, options);
  const { mode, dryRun, config: configPath } = runner;
  const binding = centreBindingOf(slug);
  const databaseName = centreDatabaseNameOf(slug);

  const configText = readFileSync(configPath, "utf8");
  const present = d1BindingsOf(configText).find(
    (b) => b.binding === binding || b.database_name === databaseName,
  );
  if (present) {
    fail(
      `The binding ${present.binding} (${present.database_name}) is already in ${options.config}; nothing was changed.`,
    );
  }
  runner.out(
    `${dryRun ? "Dry run (nothing is changed): " : ""}adding centre "${input.name}" (${slug}) ` +
      `with its own database ${databaseName}, binding ${binding}, ${mode === "local" ? "local state" : "remote"}.`,
  );
  const taken = runner.query(
    "DB",
    `SELECT id, slug, d1_binding FROM centres WHERE slug = '${slug}' OR d1_binding = '${binding}'`,
  );
  if (taken === null)
    runner.out("    (dry run: the remote directory is not read; the command would check it)");
  const clash = taken?.[0]?.[0];
  if (clash) {
    fail(
      clash.slug === slug
        ? `A centre with the slug "${slug}" is already in the directory (id ${clash.id}); nothing was changed.`
        : `The centre ${clash.id} already names the binding ${binding}; nothing was changed.`,
    );
  }

  const databaseId =
    mode === "local"
      ? localDatabaseIdOf(databaseName)
      : runner.create(databaseName, binding, options.location);
  const entry = centreBindingEntry(binding, databaseName, databaseId);
  const note =
    mode === "local"
      ? `${databaseName}: added by centre:add --local (a local-only id; \`wrangler d1 create\` gives the real one)`
      : `${databaseName}: added by centre:add`;
  runner.announce(`add the binding to ${options.config} (d1_databases)`, null, [
    `// ${note}`,
    JSON.stringify(entry),
  ]);
  if (!dryRun) writeFileSync(configPath, withD1Binding(configText, entry, note));

  runner.migrate(binding);
  const at = new Date().toISOString();
  const row = centreRow(input, { id: uuidv7(new Date(at)), at, binding });
  const columns = Object.keys(row);
  // A copy left by an interrupted earlier attempt (another id, no rows pointing at it) gives way.
  const copy = [
    `DELETE FROM centres WHERE slug = '${slug}' AND id <> '${row.id}';`,
    ...insertStatements("centres", columns, [row], { verb: "OR REPLACE" }),
  ];
  runner.execute(binding, `write the copy of the centre's row into ${binding}`, copy);
  if (mode === "remote") runner.deploy();
  runner.execute(
    "DB",
    "write the directory's row (it names the binding: from now on the centre is reachable)",
    insertStatements("centres", columns, [row], { verb: "" }),
  );
  runner.out(
    dryRun
      ? "\nDry run: nothing was changed."
      : `\nCentre ${slug} added (id ${row.id}) in ${binding}.` +
          (mode === "local" ? " Restart `wrangler dev` (npm run demo) so it binds the new database." : ""),
  );
}

main();
