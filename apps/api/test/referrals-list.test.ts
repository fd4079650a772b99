// The referrals list at scale: newest first by creation time (whatever the ids), paged by cursor through
// hundreds of rows with filters, and day ranges in the centre's own calendar.
import type { Referral, ReferralNeed } from "@halte/core";
import { insertReferral } from "@halte/db";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { fieldErrors } from "./visits-helpers.js";

function referralRow(centreId: string, partnerId: string, id: string, createdAt: string, need: ReferralNeed) {
  const referral: Referral = {
    id,
    createdAt,
    updatedAt: createdAt,
    centreId,
    partnerId,
    serviceId: null,
    need,
    note: null,
    status: "draft",
    statusReason: null,
    statusNote: null,
    partnerReference: null,
    contact: null,
    consentId: null,
    ageBand: null,
    gender: null,
    languages: [],
    requestedAt: null,
    closedAt: null,
    erasedAt: null,
    version: 0,
  };
  return insertReferral(db, referral);
}

async function allPages(as: Caller, query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
      await api("GET", `/api/referrals?${query}${cursor ? `&cursor=${cursor}` : ""}`, { as });
    expect(answer.status).toBe(200);
    ids.push(...answer.body.items.map((item) => item.id));
    cursor = answer.body.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < 100);
  return { ids, pages };
}

describe("listing referrals at scale", () => {
  it("puts a new referral first even when older seeded rows have ids that sort after it", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    // Seeded demo rows carry readable ids ("demo-r-…") that sort after any time-ordered id.
    await db.batch([
      referralRow(centreId, partnerId, `demo-r-${centreId}-1`, "2026-11-01T09:00:00.000Z", "health"),
      referralRow(centreId, partnerId, `demo-r-${centreId}-2`, "2026-11-02T09:00:00.000Z", "legal"),
    ]);
    const created = await api("POST", "/api/referrals", {
      as: coordinator,
      body: { centreId, partnerId, need: "food" },
    });
    expect(created.status).toBe(201);
    const list = await api("GET", `/api/referrals?centreId=${centreId}&limit=1`, { as: coordinator });
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });

  it("pages through 250 referrals with a filter, newest first, none twice and none lost", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const needs: ReferralNeed[] = ["accommodation", "health", "legal", "food", "social_rights"];
    const rows = Array.from({ length: 250 }, (_, i) => ({
      // Several share a creation instant: the id breaks the tie, and no row may fall between pages.
      id: `r-${String(i).padStart(4, "0")}-${centreId.slice(-6)}`,
      createdAt: new Date(Date.UTC(2026, 9, 1) + Math.floor(i / 3) * 3_600_000 * 7).toISOString(),
      need: needs[i % needs.length] as ReferralNeed,
    }));
    for (let i = 0; i < rows.length; i += 50) {
      const [first, ...rest] = rows
        .slice(i, i + 50)
        .map((row) => referralRow(centreId, partnerId, row.id, row.createdAt, row.need));
      if (first) await db.batch([first, ...rest]);
    }
    const newestFirst = [...rows].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );

    const everything = await allPages(coordinator, `centreId=${centreId}&limit=40`);
    expect(everything.ids).toEqual(newestFirst.map((row) => row.id));
    expect(everything.pages).toBe(7);

    const health = await allPages(coordinator, `centreId=${centreId}&limit=15&need=health`);
    expect(health.ids).toEqual(newestFirst.filter((row) => row.need === "health").map((row) => row.id));
    expect(health.ids).toHaveLength(50);
    expect(health.pages).toBe(4);
  });

  it("takes a day range in the centre's calendar, both days included", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const at = (id: string, createdAt: string) => referralRow(centreId, partnerId, id, createdAt, "health");
    await db.batch([
      // 27 Nov 23:30 in Paris, still the 27th there.
      at(`a-${centreId}`, "2026-11-27T22:30:00.000Z"),
      // 28 Nov 00:30 in Paris, though the 27th in UTC.
      at(`b-${centreId}`, "2026-11-27T23:30:00.000Z"),
      at(`c-${centreId}`, "2026-11-29T22:59:59.000Z"),
      // 30 Nov 00:00 in Paris.
      at(`d-${centreId}`, "2026-11-29T23:00:00.000Z"),
    ]);
    const days = async (query: string) =>
      (await api("GET", `/api/referrals?centreId=${centreId}&${query}`, { as: coordinator })).body.items.map(
        (item: { id: string }) => item.id.slice(0, 1),
      );
    expect(await days("from=2026-11-28&to=2026-11-29")).toEqual(["c", "b"]);
    expect(await days("from=2026-11-30")).toEqual(["d"]);
    expect(await days("to=2026-11-27")).toEqual(["a"]);
  });

  it("refuses a forged cursor, a reversed range and a range without a centre (422)", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const admin = await signedIn("admin");
    const forged = await api("GET", `/api/referrals?cursor=${btoa("not json")}`, { as: coordinator });
    expect(forged.status).toBe(422);
    expect(fieldErrors(forged.body)).toEqual(["query.cursor:invalid_format"]);
    const reversed = await api("GET", "/api/referrals?from=2026-11-29&to=2026-11-28", { as: coordinator });
    expect(fieldErrors(reversed.body)).toEqual(["query.to:invalid_value"]);
    const nowhere = await api("GET", "/api/referrals?from=2026-11-28", { as: admin });
    expect(fieldErrors(nowhere.body)).toEqual(["query.centreId:required"]);
    const badDay = await api("GET", `/api/referrals?centreId=${centreId}&from=2026-02-30`, {
      as: coordinator,
    });
    expect(badDay.status).toBe(422);
  });
});
