// `npm run centres:split` on a local single-database install of two centres (cli-test/single-database-seed.ts):
// each centre's database ends with exactly its rows, the directory with none of them, the counts equal; a
// dry run changes nothing; a second run changes nothing; a run interrupted while deleting resumes; a centre
// whose counts differ keeps being served by the directory. Drives the real script and wrangler's local D1.
import { readFileSync, writeFileSync } from "node:fs";
import { CENTRE_COPIED_TABLES, CENTRE_TABLES } from "@halte/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COPIED_TABLES, centreFilter, MOVED_TABLES } from "../scripts/split-plan.mjs";
import {
  centreBindingEntry,
  d1BindingsOf,
  localDatabaseIdOf,
  withD1Binding,
} from "../scripts/wrangler-config.mjs";
import {
  centreSql,
  directoryOnlySql,
  localInstall,
  SEEDED_PER_CENTRE,
  script,
} from "./single-database-seed.js";

const install = localInstall();
const configBefore = readFileSync(install.config, "utf8");
const CENTRES = [
  { key: "a", id: "centre-a", slug: "alpha", binding: "CENTRE_ALPHA" },
  { key: "b", id: "centre-b", slug: "beta", binding: "CENTRE_BETA" },
] as const;

/** Rows of every moved table in a database: of one centre (`centreId`), or all of them. */
function countRows(binding: string, centreId?: string): Record<string, number> {
  const sql = MOVED_TABLES.map(
    (t) => `(SELECT count(*) FROM ${t}${centreId ? ` WHERE ${centreFilter(t, centreId)}` : ""}) AS ${t}`,
  ).join(", ");
  return install.query(binding, `SELECT ${sql}`)[0]?.[0] as Record<string, number>;
}

const zero = Object.fromEntries(MOVED_TABLES.map((t) => [t, 0]));

beforeAll(() => {
  install.migrate("DB");
  install.execute("DB", [
    ...centreSql("a", "alpha"),
    ...centreSql("b", "beta"),
    ...directoryOnlySql,
    // A partner of alpha linked to beta too (docs/partners.md, "One identity across centres").
    "INSERT INTO partner_centres (partner_id, centre_id, linked_at) VALUES ('a-partner-1', 'centre-b', '2026-11-02T09:00:00.000Z');",
  ]);
});
afterAll(() => install.remove());

describe("npm run centres:split (local, two centres)", () => {
  it("moves the tables packages/db/src/homes.ts names, in an order its foreign keys accept", () => {
    expect(new Set(MOVED_TABLES)).toEqual(new Set([...CENTRE_TABLES, "audit_log"]));
    expect(COPIED_TABLES).toEqual([...CENTRE_COPIED_TABLES]);
    expect(MOVED_TABLES.indexOf("service_uses")).toBeGreaterThan(MOVED_TABLES.indexOf("visits"));
    expect(MOVED_TABLES.indexOf("referral_history")).toBeGreaterThan(MOVED_TABLES.indexOf("referrals"));
  });

  it("--dry-run prints every command and changes nothing", () => {
    const run = script("split-centres.mjs", [...install.toolArgs, "--dry-run"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("wrangler d1 migrations apply CENTRE_ALPHA --local");
    expect(run.stdout).toContain("UPDATE centres SET d1_binding = 'CENTRE_BETA' WHERE id = 'centre-b'");
    expect(run.stdout).toMatch(/visits — 6 rows/);
    expect(run.stdout).toContain("Dry run: nothing was changed.");
    expect(readFileSync(install.config, "utf8")).toBe(configBefore);
    expect(countRows("DB", "centre-a")).toEqual(SEEDED_PER_CENTRE);
    expect(install.query("DB", "SELECT DISTINCT d1_binding FROM centres")[0]).toEqual([{ d1_binding: "DB" }]);
  });

  it("--dry-run without --local plans the remote move offline", () => {
    const run = script("split-centres.mjs", ["--dry-run", "--config", install.configName]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("wrangler d1 create 'halte-centre-<slug>' --binding 'CENTRE_<SLUG>'");
    expect(run.stdout).toContain("wrangler deploy");
    expect(readFileSync(install.config, "utf8")).toBe(configBefore);
  });

  it("moves each centre's rows into its own database, none stay in the directory, counts equal", () => {
    const run = script("split-centres.mjs", [...install.toolArgs, "--page-size", "4"]);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const centre of CENTRES) {
      // Exactly its rows: every row of the database is this centre's, as many as were seeded.
      expect(countRows(centre.binding, centre.id)).toEqual(SEEDED_PER_CENTRE);
      expect(countRows(centre.binding)).toEqual(SEEDED_PER_CENTRE);
      const [copies, partners] = install.query(
        centre.binding,
        "SELECT id, d1_binding FROM centres; SELECT DISTINCT centre_id FROM partners",
      );
      expect(copies).toEqual([{ id: centre.id, d1_binding: centre.binding }]);
      expect(partners).toEqual([{ centre_id: centre.id }]);
      // Alpha's partner 1 is linked to beta too: both databases hold it, beta's copy naming beta (above).
      const [linked] = install.query(centre.binding, "SELECT id FROM partners WHERE id = 'a-partner-1'");
      expect(linked).toEqual([{ id: "a-partner-1" }]);
      // Record keys (the cell-key perturbation's) travel as they were.
      expect(install.query(centre.binding, "SELECT min(record_key) AS k FROM visits")[0]).toEqual([
        { k: 1001 },
      ]);
    }
    expect(countRows("DB")).toEqual({ ...zero, job_watermarks: 1, audit_log: 1 });
    const [centres, kept] = install.query(
      "DB",
      "SELECT slug, d1_binding FROM centres ORDER BY slug; SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM partners) AS partners, (SELECT job FROM job_watermarks) AS job",
    );
    expect(centres).toEqual([
      { slug: "alpha", d1_binding: "CENTRE_ALPHA" },
      { slug: "beta", d1_binding: "CENTRE_BETA" },
    ]);
    expect(kept).toEqual([{ users: 2, partners: 4, job: "visit-month-rollup" }]);
    const config = readFileSync(install.config, "utf8");
    expect(d1BindingsOf(config).map((b: { binding: string }) => b.binding)).toEqual([
      "DB",
      "CENTRE_ALPHA",
      "CENTRE_BETA",
    ]);
    for (const line of configBefore.split("\n").filter((l) => l.trim().startsWith("//")))
      expect(config).toContain(line);
  });

  it("a second run finds both centres moved and changes nothing", () => {
    const run = script("split-centres.mjs", install.toolArgs);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("alpha: already in CENTRE_ALPHA");
    expect(run.stdout).toContain("beta: already in CENTRE_BETA");
    expect(countRows("CENTRE_ALPHA")).toEqual(SEEDED_PER_CENTRE);
  });

  it("resumes a move interrupted while deleting: the leftovers are counted, then deleted", () => {
    // As if the run had stopped after the flip, before deleting: some of alpha's rows still in the directory.
    install.execute(
      "DB",
      centreSql("a", "alpha").filter((s) => /INTO (services|visits|service_uses|events) /.test(s)),
    );
    expect(countRows("DB", "centre-a").visits).toBe(6);
    const run = script("split-centres.mjs", install.toolArgs);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("alpha: moved to CENTRE_ALPHA");
    expect(countRows("DB", "centre-a")).toEqual(zero);
    expect(countRows("CENTRE_ALPHA")).toEqual(SEEDED_PER_CENTRE);
  });

  it("leaves a centre whose counts differ served by the directory, deleting nothing", () => {
    install.execute(
      "DB",
      centreSql("c", "gamma").filter((s) => !/INTO users /.test(s)),
    );
    // The database the move would write into already holds a visit the directory does not have.
    const entry = centreBindingEntry(
      "CENTRE_GAMMA",
      "halte-centre-gamma",
      localDatabaseIdOf("halte-centre-gamma"),
    );
    writeFileSync(
      install.config,
      withD1Binding(readFileSync(install.config, "utf8"), entry, "a stray database"),
    );
    install.migrate("CENTRE_GAMMA");
    install.execute("CENTRE_GAMMA", [
      ...centreSql("c", "gamma").filter((s) => /INTO centres /.test(s)),
      "INSERT INTO visits (id, created_at, updated_at, centre_id, arrived_at, local_day, languages, record_key) VALUES ('stray', 'x', 'x', 'centre-c', 'x', '2026-11-09', '[]', 7);",
    ]);
    const run = script("split-centres.mjs", [...install.toolArgs, "--centre", "gamma"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("visits: 6 in DB, 7 in CENTRE_GAMMA");
    expect(install.query("DB", "SELECT d1_binding FROM centres WHERE slug = 'gamma'")[0]).toEqual([
      { d1_binding: "DB" },
    ]);
    expect(countRows("DB", "centre-c")).toEqual(SEEDED_PER_CENTRE);
  });

  it("refuses a centre the directory does not list", () => {
    const run = script("split-centres.mjs", [...install.toolArgs, "--centre", "nowhere"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("No centre with the slug nowhere");
  });
});
