import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Databases } from "../src/databases.js";
import { givenCentre } from "./helpers.js";
import { givenCentreIn } from "./split-helpers.js";

describe("one database per centre: routing by the directory", () => {
  it("finds each centre's database by the binding its directory row names", async () => {
    const a = await givenCentreIn("CENTRE_A");
    const b = await givenCentreIn("CENTRE_B");
    const single = await givenCentre();
    const dbs = new Databases(env);
    expect(await dbs.d1For(a)).toBe(env.CENTRE_A);
    expect(await dbs.d1For(b)).toBe(env.CENTRE_B);
    expect(await dbs.d1For(single)).toBe(env.DB);
    expect(await dbs.sharesDirectory(single)).toBe(true);
    expect(await dbs.sharesDirectory(a)).toBe(false);
    const grouped = await dbs.databasesOf([a, b, single]);
    expect(grouped.map((g) => g.d1)).toEqual([env.CENTRE_A, env.CENTRE_B, env.DB]);
  });

  it("answers 404 for an unknown centre and 503 for a binding the Worker lacks", async () => {
    const dbs = new Databases(env);
    await expect(dbs.dbFor("0190d5f0-0000-7000-8000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
    expect(() => dbs.d1Named("CENTRE_ZZ")).toThrow(/not bound/);
  });
});
