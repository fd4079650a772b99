// The referral report: referrals sent and answered through the API, then read as the admin views, an
// observer and each partner would see them.
import { addDays, localDateOf, periodOfDate } from "@halte/core";
import { referrals } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { csvLinesOf, type Figure, figure, report } from "./reports-helpers.js";

const storeOnly = { givenAt: "2026-11-28T09:00:00Z", method: "verbal", scopes: ["store_contact"] };

async function refer(as: Caller, centreId: string, partnerId: string, need: string, send = true) {
  const created = await api("POST", "/api/referrals", {
    as,
    body: { centreId, partnerId, need, ...(send ? { consent: storeOnly, send: true } : {}) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function move(as: Caller, id: string, body: Record<string, unknown>) {
  const moved = await api("POST", `/api/referrals/${id}/status`, { as, body });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
}

/**
 * Six accommodation referrals to the Samu social, placed in 1…6 hours; one legal referral it turned down;
 * five health referrals waiting at France terre d'asile, and one health draft never sent.
 */
async function network() {
  const centreId = await givenCentre({ disclosureThreshold: 5 });
  const samu = await givenPartner(centreId, "Samu social");
  const ftda = await givenPartner(centreId, "France terre d'asile");
  const coordinator = await signedIn("coordinator", { centreId });
  const samuToken = await partnerToken(centreId, samu);
  const ftdaToken = await partnerToken(centreId, ftda);
  for (let hours = 1; hours <= 6; hours++) {
    const id = await refer(coordinator, centreId, samu, "accommodation");
    await move(samuToken, id, { status: "accepted" });
    await move(samuToken, id, { status: "in-progress" });
    await move(samuToken, id, { status: "completed" });
    // The API stamps real instants; spread the placements over hours as a real week would.
    const [row] = await db.select().from(referrals).where(eq(referrals.id, id));
    const closedAt = new Date(Date.parse(row?.requestedAt ?? "") + hours * 3_600_000).toISOString();
    await db.update(referrals).set({ closedAt }).where(eq(referrals.id, id));
  }
  const legal = await refer(coordinator, centreId, samu, "legal");
  await move(samuToken, legal, { status: "rejected", reason: "at_capacity" });
  for (let i = 0; i < 5; i++) await refer(coordinator, centreId, ftda, "health");
  await refer(coordinator, centreId, ftda, "health", false);
  return { centreId, samu, ftda, coordinator, samuToken, ftdaToken };
}

// Referrals are filed by the local day they were created: today in Paris, give or take a day.
const today = localDateOf(new Date(), "Europe/Paris");
const path = (centreId: string, extra = "") =>
  `/api/reports/referrals?centreId=${centreId}&from=${addDays(today, -1)}&to=${addDays(today, 1)}${extra}`;
/**
 * Protected answers lie on the publication grid: the Paris month the referrals were created in, read when
 * the question is asked (so a run across midnight at the end of a month still asks the right month).
 */
const gridPath = (centreId: string, extra = "") => {
  const day = localDateOf(new Date(), "Europe/Paris");
  const month = periodOfDate("month", day);
  return `/api/reports/referrals?centreId=${centreId}&from=${month.start}&to=${month.end}${extra}`;
};

const HOUR = 3600;

describe("the referral report", () => {
  it("gives the admin view the funnel in lifecycle order, needs, partners and time to outcome", async () => {
    const n = await network();
    const open = await report(path(n.centreId, "&disclosure=none"), n.coordinator);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.suppressed).toBe(false);
    expect(figure(open.body.total)).toBe(13);
    expect(
      open.body.funnel.map((f: { status: string; count: Figure }) => [f.status, figure(f.count)]),
    ).toEqual([
      ["draft", 1],
      ["requested", 5],
      ["accepted", 0],
      ["rejected", 1],
      ["in-progress", 0],
      ["on-hold", 0],
      ["completed", 6],
      ["failed", 0],
      ["cancelled", 0],
      ["entered-in-error", 0],
    ]);
    const need = (name: string) =>
      figure(open.body.byNeed.find((row: { need: string }) => row.need === name).count);
    expect([need("accommodation"), need("health"), need("legal")]).toEqual([6, 6, 1]);
    const partners = open.body.byPartner.map((p: { partnerName: string; count: Figure }) => [
      p.partnerName,
      figure(p.count),
    ]);
    expect(partners).toEqual(
      expect.arrayContaining([
        ["Samu social", 7],
        ["France terre d'asile", 6],
      ]),
    );
    const table = open.body.partnerStatus;
    expect(table.columnLabels).toEqual(open.body.needStatus.columnLabels);
    const samuRow = table.cells[table.rowLabels.indexOf(n.samu)];
    expect(figure(samuRow[table.columnLabels.indexOf("completed")])).toBe(6);
    expect(figure(samuRow[table.columnLabels.indexOf("rejected")])).toBe(1);
    const completed = open.body.timeToOutcome.find((t: { outcome: string }) => t.outcome === "completed");
    // Nearest rank: the median of 1…6 hours is the 3rd, the 90th percentile the 6th.
    expect(completed).toEqual({
      outcome: "completed",
      suppressed: false,
      count: 6,
      medianSeconds: 3 * HOUR,
      p90Seconds: 6 * HOUR,
    });
    expect(open.body.timeToOutcome[0]).toMatchObject({ outcome: "all", count: 7 });
  });

  it("perturbs every count for an observer, one value per shared total, time to outcome only for k outcomes", async () => {
    const n = await network();
    const observer = await signedIn("observer", { centreId: n.centreId });
    expect((await report(path(n.centreId), observer)).status).toBe(422); // three days: off the grid
    const shown = await report(gridPath(n.centreId), observer);
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect(shown.body).toMatchObject({ suppressed: true, protection: "cell-key", k: 5 });
    const funnel = Object.fromEntries(
      shown.body.funnel.map((f: { status: string; count: Figure }) => [f.status, figure(f.count)]),
    );
    expect([0, 5]).toContain(funnel.draft);
    expect([0, 5]).toContain(funnel.rejected);
    for (const value of Object.values(funnel))
      expect((value as number) >= 1 && (value as number) < 5).toBe(false);
    // Linked tables: the total of all referrals and each status total count the same referrals in every
    // table that shows them, so they are one figure each — nothing to subtract.
    expect(shown.body.partnerStatus.grandTotal).toEqual(shown.body.total);
    shown.body.funnel.forEach((f: { count: Figure }, j: number) => {
      expect(shown.body.partnerStatus.columnTotals[j]).toEqual(f.count);
    });
    const outcomes = Object.fromEntries(
      shown.body.timeToOutcome.map((t: { outcome: string }) => [t.outcome, t]),
    );
    expect([0, 5]).toContain(outcomes.rejected.count);
    expect(outcomes.rejected.medianSeconds).toBeNull();
    expect(shown.body.untimedOutcomes).toBeNull();
    expect((await report(gridPath(n.centreId), observer)).body).toEqual(shown.body);
    expect((await report(gridPath(n.centreId, "&disclosure=none"), observer)).status).toBe(403);
  });

  it("narrows the figures by partner, need and status, each filtered cell the same as in the full report", async () => {
    const n = await network();
    const observer = await signedIn("observer", { centreId: n.centreId });
    const full = await report(gridPath(n.centreId), observer);
    const bySamu = await report(gridPath(n.centreId, `&partnerId=${n.samu}`), observer);
    expect(bySamu.status).toBe(200);
    expect(bySamu.body.filters).toEqual({ partnerId: n.samu });
    const samuRow = full.body.byPartner.find((p: { partnerId: string }) => p.partnerId === n.samu);
    expect(bySamu.body.total).toEqual(samuRow.count);
    const accommodation = await report(gridPath(n.centreId, "&need=accommodation"), observer);
    const needRow = full.body.byNeed.find((row: { need: string }) => row.need === "accommodation");
    expect(accommodation.body.total).toEqual(needRow.count);
    const completed = await report(gridPath(n.centreId, "&status=completed"), observer);
    const statusRow = full.body.funnel.find((row: { status: string }) => row.status === "completed");
    expect(completed.body.total).toEqual(statusRow.count);
    const bad = await report(gridPath(n.centreId, "&need=flying"), observer);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toEqual(["query", "need"]);
  });

  it("counts the people referred by age band, gender and language, perturbed for an observer", async () => {
    const centreId = await givenCentre({ disclosureThreshold: 5 });
    const partnerId = await givenPartner(centreId, "Samu social");
    const coordinator = await signedIn("coordinator", { centreId });
    const people = [
      ...Array.from({ length: 6 }, () => ({ ageBand: "18-59", gender: "male", languages: ["ps", "fr"] })),
      { ageBand: "60+", gender: "female", languages: ["ar"] },
    ];
    for (const person of people) {
      const created = await api("POST", "/api/referrals", {
        as: coordinator,
        body: { centreId, partnerId, need: "accommodation", ...person },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const counts = (rows: Array<Record<string, unknown> & { count: Figure }>, key: string) =>
      Object.fromEntries(rows.map((row) => [row[key], figure(row.count)]));
    const open = await report(path(centreId, "&disclosure=none"), coordinator);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(counts(open.body.byAgeBand, "ageBand")).toMatchObject({ "18-59": 6, "60+": 1, unknown: 0 });
    expect(counts(open.body.byGender, "gender")).toMatchObject({ male: 6, female: 1 });
    expect(counts(open.body.byLanguage, "language")).toEqual({ ar: 1, fr: 6, ps: 6 });

    const observer = await signedIn("observer", { centreId });
    const hidden = await report(gridPath(centreId), observer);
    expect(hidden.status).toBe(200);
    const ages = Object.fromEntries(
      hidden.body.byAgeBand.map((row: { ageBand: string; count: Figure }) => [
        row.ageBand,
        figure(row.count),
      ]),
    );
    expect([0, 5]).toContain(ages["60+"]);
    expect(Math.abs(ages["18-59"] - 6)).toBeLessThanOrEqual(2);
    const languages = Object.fromEntries(
      hidden.body.byLanguage.map((row: { language: string; count: Figure }) => [
        row.language,
        figure(row.count),
      ]),
    );
    // A language published as 0 is not listed at all: its presence would say its count is not 0.
    expect([0, 5]).toContain(languages.ar ?? 0);
    if (languages.ar === 0) throw new Error("a language published as 0 is listed");
    const csv = await api("GET", gridPath(centreId, "&format=csv"), { as: observer });
    expect(String(csv.body)).toMatch(new RegExp(`age_band,60\\+,,,,,${ages["60+"]},`));
  });

  it("shows a partner its own organisation's referrals only, always perturbed", async () => {
    const n = await network();
    const samu = await report(gridPath(n.centreId), n.samuToken);
    expect(samu.status, JSON.stringify(samu.body)).toBe(200);
    expect(samu.body).toMatchObject({ partnerId: n.samu, suppressed: true, protection: "cell-key" });
    expect(samu.body.byPartner).toEqual([
      { partnerId: n.samu, partnerName: "Samu social", count: samu.body.total },
    ]);
    expect(Math.abs((figure(samu.body.total) as number) - 7)).toBeLessThanOrEqual(2);
    const health = samu.body.byNeed.find((row: { need: string }) => row.need === "health");
    expect(health.count).toEqual({ value: 0, suppressed: false });
    expect(samu.body.partnerStatus.rowLabels).toEqual([n.samu]);
    expect(JSON.stringify(samu.body)).not.toContain(n.ftda);

    const ftda = await report(gridPath(n.centreId), n.ftdaToken);
    expect(ftda.body.byPartner.map((p: { partnerId: string }) => p.partnerId)).toEqual([n.ftda]);
    // Its 5 sent referrals (a count of k is published as k); the draft never sent to it is not its to count.
    expect(ftda.body.total).toEqual({ value: 5, suppressed: false });
    expect(JSON.stringify(ftda.body)).not.toContain(n.samu);
    // A partner may not filter by another partner.
    const other = await report(gridPath(n.centreId, `&partnerId=${n.samu}`), n.ftdaToken);
    expect(other.status).toBe(403);

    expect((await report(gridPath(n.centreId, "&disclosure=none"), n.samuToken)).status).toBe(403);
    const elsewhere = await givenCentre();
    expect((await report(gridPath(elsewhere), n.samuToken)).status).toBe(403);
    const reception = await signedIn("reception", { centreId: n.centreId });
    expect((await report(gridPath(n.centreId), reception)).status).toBe(403);
  });

  it("counts for a partner only the referrals sent to it: as many as its own list shows", async () => {
    const centreId = await givenCentre({ disclosureThreshold: 5 });
    const partnerId = await givenPartner(centreId, "Aurore");
    const coordinator = await signedIn("coordinator", { centreId });
    const token = await partnerToken(centreId, partnerId);
    for (let i = 0; i < 6; i++) await refer(coordinator, centreId, partnerId, "accommodation");
    // Drafts, one of them voided before it was ever sent: the partner never saw them.
    for (let i = 0; i < 5; i++) await refer(coordinator, centreId, partnerId, "health", false);
    const voided = await refer(coordinator, centreId, partnerId, "legal", false);
    await move(coordinator, voided, { status: "entered-in-error" });

    const listed = await api("GET", "/api/referrals?limit=200", { as: token });
    expect(listed.body.items).toHaveLength(6);
    const seen = await report(gridPath(centreId), token);
    expect(seen.status).toBe(200);
    // 6 sent: published within ±1 (never below k = 5); the six drafts would make it about 12.
    expect(Math.abs((figure(seen.body.total) as number) - 6)).toBeLessThanOrEqual(1);
    const funnel = Object.fromEntries(
      seen.body.funnel.map((f: { status: string; count: Figure }) => [f.status, f.count]),
    );
    expect(funnel.draft).toEqual({ value: 0, suppressed: false });
    expect(funnel["entered-in-error"]).toEqual({ value: 0, suppressed: false });
    const byNeed = Object.fromEntries(
      seen.body.byNeed.map((f: { need: string; count: Figure }) => [f.need, f.count]),
    );
    expect(byNeed.health).toEqual({ value: 0, suppressed: false });
    // The centre's own report still counts all twelve.
    const own = await report(path(centreId, "&disclosure=none"), coordinator);
    expect(own.body.total).toEqual({ value: 12, suppressed: false });
  });

  it("exports the protected tables as CSV with the HXL row", async () => {
    const n = await network();
    const csv = await report(gridPath(n.centreId, "&format=csv-hxl"), n.coordinator);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csvLinesOf(csv.body);
    expect(lines[0]).toBe(
      "Centre,From,To,Section,Group,Need,Status,Partner,Outcome,Referrals,Median seconds,P90 seconds",
    );
    expect(lines[1]).toContain("#meta +section");
    expect(lines.find((line) => line.includes(",status,,,rejected,"))).toMatch(/,(0|5),,$/);
    expect(lines.some((line) => line.includes(",partner,,,,Samu social,"))).toBe(true);
    const partner = await report(gridPath(n.centreId, "&format=csv"), n.ftdaToken);
    expect(String(partner.body)).not.toContain("Samu social");
  });
});
