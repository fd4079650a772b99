// `npm run centre:add` on a local install (cli-test/single-database-seed.ts): a dry run prints the commands,
// SQL and config change and changes nothing, offline too; a real run creates the centre's database (its
// binding in the config, comments kept; the migrations applied; the copy of its row) and then the directory
// row naming it; a binding already present and a slug already in the directory are refused.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { d1BindingsOf } from "../scripts/wrangler-config.mjs";
import { apiDir, centreSql, localInstall, script } from "./single-database-seed.js";

const install = localInstall();
const configBefore = readFileSync(install.config, "utf8");
const migrations = readdirSync(join(apiDir, "../../packages/db/migrations")).filter((f) =>
  f.endsWith(".sql"),
);

beforeAll(() => {
  install.migrate("DB");
  install.execute("DB", centreSql("a", "alpha"));
});
afterAll(() => install.remove());

describe("npm run centre:add (local)", () => {
  it("--dry-run prints the commands, the SQL and the config change, and changes nothing", () => {
    const run = script("centre-add.mjs", [
      "nouveau",
      "--name",
      "Nouveau centre",
      "--dry-run",
      ...install.toolArgs,
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("wrangler d1 migrations apply CENTRE_NOUVEAU --local");
    expect(run.stdout).toContain('"binding":"CENTRE_NOUVEAU","database_name":"halte-centre-nouveau"');
    expect(run.stdout).toMatch(
      /INSERT INTO centres \(.*d1_binding\) VALUES \(.*'Nouveau centre', 'nouveau'.*'CENTRE_NOUVEAU'\);/,
    );
    expect(readFileSync(install.config, "utf8")).toBe(configBefore);
    expect(install.query("DB", "SELECT count(*) AS n FROM centres WHERE slug = 'nouveau'")[0]).toEqual([
      { n: 0 },
    ]);
  });

  it("--dry-run of a remote add runs offline and names every step, deploy included", () => {
    const run = script("centre-add.mjs", [
      "nouveau",
      "--location",
      "weur",
      "--dry-run",
      "--config",
      install.configName,
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("wrangler d1 create halte-centre-nouveau --binding CENTRE_NOUVEAU");
    expect(run.stdout).toContain("--location weur");
    expect(run.stdout).toContain("wrangler d1 migrations apply CENTRE_NOUVEAU --remote");
    expect(run.stdout).toContain("wrangler deploy");
    expect(readFileSync(install.config, "utf8")).toBe(configBefore);
  });

  it("adds the centre: its database migrated with its row's copy, the binding in the config, then the directory row", () => {
    const run = script("centre-add.mjs", [
      "nouveau",
      "--name",
      "Nouveau centre",
      "--time-zone",
      "Europe/Brussels",
      ...install.toolArgs,
    ]);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const [[inDirectory]] = install.query("DB", "SELECT * FROM centres WHERE slug = 'nouveau'");
    expect(inDirectory).toMatchObject({
      name: "Nouveau centre",
      time_zone: "Europe/Brussels",
      d1_binding: "CENTRE_NOUVEAU",
    });
    const [copies, applied] = install.query(
      "CENTRE_NOUVEAU",
      "SELECT * FROM centres; SELECT count(*) AS n FROM d1_migrations",
    );
    expect(copies).toEqual([inDirectory]);
    expect(applied).toEqual([{ n: migrations.length }]);
    const config = readFileSync(install.config, "utf8");
    expect(d1BindingsOf(config)).toContainEqual(
      expect.objectContaining({
        binding: "CENTRE_NOUVEAU",
        database_name: "halte-centre-nouveau",
        migrations_dir: "../../packages/db/migrations",
      }),
    );
    for (const line of configBefore.split("\n").filter((l) => l.trim().startsWith("//")))
      expect(config).toContain(line);
    // The directory's other centre is untouched.
    expect(install.query("DB", "SELECT d1_binding FROM centres WHERE slug = 'alpha'")[0]).toEqual([
      { d1_binding: "DB" },
    ]);
  });

  it("refuses a binding already in the config", () => {
    const config = readFileSync(install.config, "utf8");
    const run = script("centre-add.mjs", ["nouveau", ...install.toolArgs]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("The binding CENTRE_NOUVEAU (halte-centre-nouveau) is already in");
    expect(readFileSync(install.config, "utf8")).toBe(config);
  });

  it("refuses a slug already in the directory", () => {
    const config = readFileSync(install.config, "utf8");
    const run = script("centre-add.mjs", ["alpha", ...install.toolArgs]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('A centre with the slug "alpha" is already in the directory (id centre-a)');
    expect(readFileSync(install.config, "utf8")).toBe(config);
  });

  it("refuses a slug or a time zone the API would refuse", () => {
    expect(script("centre-add.mjs", ["Not_A_Slug", "--dry-run", ...install.toolArgs]).status).toBe(2);
    const zone = script("centre-add.mjs", [
      "ailleurs",
      "--time-zone",
      "Mars/Olympus",
      "--dry-run",
      ...install.toolArgs,
    ]);
    expect(zone.status).toBe(2);
    expect(zone.stderr).toContain("openingHours.timeZone");
  });
});
