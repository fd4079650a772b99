// Reports over several centres (`centreIds`), and the query rules every report shares: bad ranges,
// unknown centres and other centres' ids answer problem details, never a 5xx.
import { describe, expect, it } from "vitest";
import { givenCentre, givenPartner, signedIn } from "./helpers.js";
import {
  type Arrival,
  csvLinesOf,
  type Figure,
  figure,
  givenArrivals,
  report,
  rollUp,
} from "./reports-helpers.js";
import { givenService } from "./visits-helpers.js";

const REPORTS = ["visits", "arrivals", "services", "referrals"] as const;

/** Two centres: the Halte (k = 5) with 3 Monday arrivals, Saint-Denis (k = 3) with 4; showers at each. */
async function twoCentres() {
  const halte = await givenCentre({ disclosureThreshold: 5 });
  const stDenis = await givenCentre({ name: "Halte Saint-Denis", disclosureThreshold: 3 });
  const arrivals = async (centreId: string, n: number) => {
    const partner = await givenPartner(centreId, "Aurore");
    const showers = await givenService(centreId, partner, { dailyCapacity: 10 });
    const reception = await signedIn("reception", { centreId });
    const at = "2026-11-30T09:30:00+01:00"; // a Monday
    const list: Arrival[] = Array.from({ length: n }, () => ({ at, uses: [{ serviceId: showers }] }));
    await givenArrivals(reception, centreId, list);
    return showers;
  };
  const halteShowers = await arrivals(halte, 3);
  const stDenisShowers = await arrivals(stDenis, 4);
  await rollUp();
  return { halte, stDenis, halteShowers, stDenisShowers };
}

// One ISO week, cut by weeks: on the publication grid of every report.
const range = "from=2026-11-30&to=2026-12-06&period=week";

describe("the reports in the OpenAPI document", () => {
  it("are described with named schemas the dashboards can read", async () => {
    const document = await report("/api/openapi.json");
    for (const name of REPORTS) expect(document.body.paths).toHaveProperty([`/api/reports/${name}`, "get"]);
    for (const schema of [
      "ArrivalsReport",
      "ServicesReport",
      "ReferralsReport",
      "ReportTable",
      "ReportCell",
    ]) {
      expect(document.body.components.schemas).toHaveProperty([schema]);
    }
  });
});

describe("reports over several centres", () => {
  it("merge the centres' figures and apply the highest of their thresholds", async () => {
    const c = await twoCentres();
    const admin = await signedIn("admin");
    const both = `centreIds=${c.halte},${c.stDenis}`;

    const alone = await report(`/api/reports/arrivals?centreId=${c.stDenis}&${range}`, admin);
    // 4 ≥ Saint-Denis's k = 3: published within ±1 (never below k).
    expect(Math.abs((figure(alone.body.table.cells[0][9]) as number) - 4)).toBeLessThanOrEqual(1);
    const merged = await report(`/api/reports/arrivals?${both}&${range}`, admin);
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ centreIds: [c.halte, c.stDenis], k: 5, suppressed: true });
    expect(Math.abs((figure(merged.body.table.cells[0][9]) as number) - 7)).toBeLessThanOrEqual(2);

    const visits = await report(`/api/reports/visits?${both}&${range}`, admin);
    expect(visits.status).toBe(200);
    expect(visits.body).not.toHaveProperty("centreId");
    // The week's arrivals of both centres, whichever report counts them, are one published figure.
    expect(visits.body.items[0].visits.grandTotal).toEqual(merged.body.table.grandTotal);
    const csv = await report(`/api/reports/visits?${both}&${range}&format=csv`, admin);
    expect(csvLinesOf(csv.body)[1]).toContain("La Halte de Jour + Halte Saint-Denis");
    expect(csv.headers.get("content-disposition")).toContain("visits-2-centres-");

    const services = await report(`/api/reports/services?${both}&${range}&disclosure=none`, admin);
    expect(services.status).toBe(200);
    const uses = services.body.items.map((row: { serviceId: string; uses: Figure }) => [
      row.serviceId,
      figure(row.uses),
    ]);
    expect(uses).toEqual(
      expect.arrayContaining([
        [c.halteShowers, 3],
        [c.stDenisShowers, 4],
      ]),
    );
    expect(services.body.totals[0].uses).toEqual({ value: 7, suppressed: false });

    const referrals = await report(`/api/reports/referrals?${both}&${range}`, admin);
    expect(referrals.status).toBe(200);
    expect(referrals.body.total).toEqual({ value: 0, suppressed: false });
  });

  it("refuses other centres to a centre-scoped user, and unknown centres, with problem details", async () => {
    const c = await twoCentres();
    const observer = await signedIn("observer", { centreId: c.halte });
    const admin = await signedIn("admin");
    for (const name of REPORTS) {
      const theirs = await report(
        `/api/reports/${name}?centreIds=${c.halte},${c.stDenis}&${range}`,
        observer,
      );
      expect(theirs.status, name).toBe(403);
      expect(theirs.headers.get("content-type")).toContain("application/problem+json");
      const unknown = await report(
        `/api/reports/${name}?centreIds=${c.halte},no-such-centre&${range}`,
        admin,
      );
      expect(unknown.status, name).toBe(404);
      const own = await report(`/api/reports/${name}?centreIds=${c.halte}&${range}`, observer);
      expect(own.status, name).toBe(200);
    }
  });

  it("answer a bad query with a field error, not a 5xx", async () => {
    const c = await twoCentres();
    const admin = await signedIn("admin");
    const many = Array.from({ length: 51 }, (_, i) => `c${i}`).join(",");
    const cases: [string, number, string][] = [
      [`centreId=${c.halte}&from=2026-02-01&to=2026-01-01`, 422, "to"],
      [`centreId=${c.halte}&from=2020-01-01&to=2026-01-01`, 422, "to"],
      [`centreId=${c.halte}&from=2026-02-30&to=2026-03-01`, 422, "from"],
      [`centreId=${c.halte}&centreIds=${c.stDenis}&${range}`, 422, "centreIds"],
      [`centreIds=${many}&${range}`, 422, "centreIds"],
      [`centreIds=,,&${range}`, 422, "centreIds"],
      [`centreIds=a%20b,c&${range}`, 422, "centreIds"],
      [range, 422, "centreId"], // an admin of every centre must say which
      [`centreId=${c.halte}&${range}&format=xml`, 422, "format"],
    ];
    for (const name of REPORTS) {
      for (const [query, status, field] of cases) {
        const answer = await report(`/api/reports/${name}?${query}`, admin);
        expect(answer.status, `${name}?${query}`).toBe(status);
        expect(answer.body.code).toBe("validation_failed");
        expect(
          answer.body.errors.map((e: { path: string[] }) => e.path.at(-1)),
          `${name}?${query}`,
        ).toContain(field);
      }
    }
  });
});
