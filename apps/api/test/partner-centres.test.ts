// Issue 16: one partner identity across several centres. A partner registered at centre A and linked to
// centre B keeps ONE API token, ONE user and ONE webhook secret for both; it never reaches centre C; unlinking
// B ends its reach there at the next request (same isolate). Run with every centre in the directory's
// database (a single-database install) and with each centre in its own (DB + CENTRE_A..C).
import { env } from "cloudflare:workers";
import { localDateOf, periodOfDate } from "@halte/core";
import {
  createDb,
  type Db,
  inboundWebhooks,
  partners,
  referrals,
  serviceCapacityReports,
  serviceUses,
} from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentreIn, partnerToken, signedIn } from "./helpers.js";
import { deliver, message, statusChanged } from "./webhooks-helpers.js";

type Binding = "DB" | "CENTRE_A" | "CENTRE_B" | "CENTRE_C";
const ALL: Binding[] = ["DB", "CENTRE_A", "CENTRE_B", "CENTRE_C"];
const dbOf = (binding: Binding): Db => (binding === "DB" ? db : createDb(env[binding]));

/** How many rows `find` sees in each database. */
async function counts(find: (database: Db) => Promise<unknown[]>): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const binding of ALL) found[binding] = (await find(dbOf(binding))).length;
  return found;
}
const onlyIn = (binding: Binding, n = 1) => Object.fromEntries(ALL.map((b) => [b, b === binding ? n : 0]));

const schedule = {
  timeZone: "Europe/Paris",
  weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00" }],
  exceptions: [],
};

async function sentReferral(as: Caller, centreId: string, partnerId: string) {
  return api("POST", "/api/referrals", {
    as,
    body: {
      centreId,
      partnerId,
      need: "accommodation",
      send: true,
      consent: { givenAt: new Date().toISOString(), method: "verbal", scopes: ["share_with_partner"] },
    },
  });
}

async function referralIds(as: Caller, query = ""): Promise<string[]> {
  const page = await api("GET", `/api/referrals?limit=100${query}`, { as });
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return (page.body.items as { id: string }[]).map((r) => r.id).sort();
}

const layouts: Array<{ name: string; a: Binding; b: Binding; c: Binding }> = [
  { name: "one database per centre", a: "CENTRE_A", b: "CENTRE_B", c: "CENTRE_C" },
  { name: "a single database", a: "DB", b: "DB", c: "DB" },
];

describe.each(layouts)("one partner across centres ($name)", (layout) => {
  it("one token, one user and one secret reach A and B, never C, and no longer B once unlinked", async () => {
    const [a, b, c] = [
      await givenCentreIn(layout.a),
      await givenCentreIn(layout.b),
      await givenCentreIn(layout.c),
    ];
    const admin = await signedIn("admin");
    const coordinators = {
      a: await signedIn("coordinator", { centreId: a }),
      b: await signedIn("coordinator", { centreId: b }),
      c: await signedIn("coordinator", { centreId: c }),
    };
    const created = await api("POST", "/api/partners", {
      as: admin,
      body: { centreId: a, name: "Samu social", roles: ["service_provider", "referral_destination"] },
    });
    expect(created.status).toBe(201);
    const partnerId = created.body.id as string;

    // Before the link: centre B cannot address it, make it a provider, list it or read it.
    expect((await sentReferral(coordinators.b, b, partnerId)).status).toBe(422);
    const providedBefore = await api("POST", "/api/services", {
      as: coordinators.b,
      body: { centreId: b, organizationId: partnerId, name: "Dentiste", category: "health", schedule },
    });
    expect(providedBefore.status, JSON.stringify(providedBefore.body)).toBe(422);
    expect((await api("GET", `/api/partners/${partnerId}`, { as: coordinators.b })).status).toBe(404);

    // Linking needs `partners:manage` at both centres: a coordinator bound to one of them cannot.
    expect(
      (await api("POST", `/api/partners/${partnerId}/centres`, { as: coordinators.a, body: { centreId: b } }))
        .status,
    ).toBe(403);
    expect(
      (await api("POST", `/api/partners/${partnerId}/centres`, { as: coordinators.b, body: { centreId: b } }))
        .status,
    ).toBe(404);
    const linked = await api("POST", `/api/partners/${partnerId}/centres`, {
      as: admin,
      body: { centreId: b },
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.centreIds).toEqual([a, b].sort());
    expect(linked.body.centreId).toBe(a);
    // Linking again changes nothing.
    const again = await api("POST", `/api/partners/${partnerId}/centres`, {
      as: admin,
      body: { centreId: b },
    });
    expect(again.body.centreIds).toEqual([a, b].sort());
    if (layout.b !== "DB") {
      // B's database holds a copy of the partner row (its referrals name it), naming B.
      const [copy] = await dbOf(layout.b).select().from(partners).where(eq(partners.id, partnerId));
      expect(copy?.centreId).toBe(b);
    }

    // Centre B's staff now see it (and only their own centre among its centres) and can address it.
    const seenByB = await api("GET", `/api/partners/${partnerId}`, { as: coordinators.b });
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.centreIds).toEqual([b]);
    const listedByB = await api("GET", `/api/partners?centreId=${b}&limit=100`, { as: coordinators.b });
    expect((listedByB.body.items as { id: string }[]).map((p) => p.id)).toContain(partnerId);

    const refA = (await sentReferral(coordinators.a, a, partnerId)).body.id as string;
    const sentB = await sentReferral(coordinators.b, b, partnerId);
    expect(sentB.status, JSON.stringify(sentB.body)).toBe(201);
    const refB = sentB.body.id as string;
    // C is not linked: its coordinator cannot address the partner.
    expect((await sentReferral(coordinators.c, c, partnerId)).status).toBe(422);
    // A referral of C that names it anyway (linked, sent, then unlinked) stays out of its reach.
    await api("POST", `/api/partners/${partnerId}/centres`, { as: admin, body: { centreId: c } });
    const refC = (await sentReferral(coordinators.c, c, partnerId)).body.id as string;
    expect((await api("DELETE", `/api/partners/${partnerId}/centres/${c}`, { as: admin })).status).toBe(200);

    // ONE token and ONE user (both made at the home centre) read the referrals of A and B.
    const token = await partnerToken(a, partnerId);
    const user = await signedIn("partner", { centreId: a, partnerId });
    for (const caller of [token, user]) {
      expect(await referralIds(caller)).toEqual([refA, refB].sort());
      expect(await referralIds(caller, `&centreId=${b}`)).toEqual([refB]);
      expect((await api("GET", `/api/referrals/${refB}`, { as: caller })).status).toBe(200);
      expect((await api("GET", `/api/referrals/${refC}`, { as: caller })).status).toBe(404);
      expect((await api("GET", `/api/referrals?centreId=${c}`, { as: caller })).status).toBe(403);
    }

    // Its referrals report (protected, its organisation's only) at B as at A; never at C.
    const month = periodOfDate("month", localDateOf(new Date(), "Europe/Paris"));
    const referralReport = (centre: string) =>
      api("GET", `/api/reports/referrals?centreId=${centre}&from=${month.start}&to=${month.end}`, {
        as: token,
      });
    for (const centre of [a, b]) expect((await referralReport(centre)).status).toBe(200);
    expect((await referralReport(c)).status).toBe(403);

    // ONE webhook secret: a status change for B's referral lands in B's database only.
    const secret = (await api("POST", `/api/partners/${partnerId}/webhook-secrets`, { as: admin, body: {} }))
      .body.secret as string;
    const accepted = await deliver(partnerId, secret, message(statusChanged(refB, "accepted", new Date())));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const [storedB] = await dbOf(layout.b).select().from(referrals).where(eq(referrals.id, refB));
    expect(storedB?.status).toBe("accepted");
    const receiptsOfB = await counts((d) =>
      d.select().from(inboundWebhooks).where(eq(inboundWebhooks.referralId, refB)),
    );
    expect(receiptsOfB).toEqual(onlyIn(layout.b));
    // C's referral is not reached, and nothing is written for it.
    const refused = await deliver(partnerId, secret, message(statusChanged(refC, "accepted", new Date())));
    expect(refused.status).toBe(404);
    expect(
      await counts((d) => d.select().from(inboundWebhooks).where(eq(inboundWebhooks.referralId, refC))),
    ).toEqual(onlyIn(layout.c, 0));

    // A service it runs at B (B's staff may name it as provider now): its use report lands in B's database.
    const service = await api("POST", "/api/services", {
      as: coordinators.b,
      body: { centreId: b, organizationId: partnerId, name: "Consultation", category: "health", schedule },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const at = new Date().toISOString();
    const useEvent = () =>
      message({
        type: "service_use.reported",
        data: { serviceId: service.body.id, usedAt: at, quantity: 2, occurredAt: at },
      });
    const used = await deliver(partnerId, secret, useEvent());
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    // Its capacity report for that service too (and the acknowledgement of B's referral, by its token).
    const capacity = await deliver(
      partnerId,
      secret,
      message({
        type: "service.capacity_changed",
        data: {
          serviceId: service.body.id,
          day: localDateOf(at, "Europe/Paris"),
          available: 3,
          occurredAt: at,
        },
      }),
    );
    expect(capacity.status, JSON.stringify(capacity.body)).toBe(200);
    expect(
      await counts((d) =>
        d.select().from(serviceCapacityReports).where(eq(serviceCapacityReports.serviceId, service.body.id)),
      ),
    ).toEqual(onlyIn(layout.b));
    expect((await api("POST", `/api/referrals/${refB}/acknowledge`, { as: token })).status).toBe(200);
    expect((await api("POST", `/api/referrals/${refC}/acknowledge`, { as: token })).status).toBe(404);
    // The same use reported through the API by its one token (a linked centre is one of its own).
    const reportUse = () =>
      api("POST", "/api/service-uses", {
        as: token,
        body: { centreId: b, serviceId: service.body.id, usedAt: at, quantity: 3, source: "partner_report" },
      });
    const reported = await reportUse();
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const usesOfService = () =>
      counts((d) => d.select().from(serviceUses).where(eq(serviceUses.serviceId, service.body.id)));
    expect(await usesOfService()).toEqual(onlyIn(layout.b, 2));
    // Its uses listed by the same token: both of B's (no centre named, or B named); C's list is refused.
    const listedUses = async (query = "") => {
      const listed = await api("GET", `/api/service-uses?limit=100${query}`, { as: token });
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      return (listed.body.items as { serviceId: string }[]).filter((u) => u.serviceId === service.body.id);
    };
    expect(await listedUses()).toHaveLength(2);
    expect(await listedUses(`&centreId=${b}`)).toHaveLength(2);
    expect((await api("GET", `/api/service-uses?centreId=${c}`, { as: token })).status).toBe(403);
    const uses = await dbOf(layout.b)
      .select()
      .from(serviceUses)
      .where(eq(serviceUses.serviceId, service.body.id));
    expect(uses.map((use) => [use.centreId, use.source, use.partnerId])).toEqual([
      [b, "partner_report", partnerId],
      [b, "partner_report", partnerId],
    ]);

    // The home centre cannot be unlinked; B can, and its reach ends at the very next request.
    expect((await api("DELETE", `/api/partners/${partnerId}/centres/${a}`, { as: admin })).status).toBe(409);
    const unlinked = await api("DELETE", `/api/partners/${partnerId}/centres/${b}`, { as: admin });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.centreIds).toEqual([a]);
    expect((await api("DELETE", `/api/partners/${partnerId}/centres/${b}`, { as: admin })).status).toBe(404);
    for (const caller of [token, user]) {
      expect(await referralIds(caller)).toEqual([refA]);
      expect((await api("GET", `/api/referrals/${refB}`, { as: caller })).status).toBe(404);
      expect((await api("GET", `/api/referrals?centreId=${b}`, { as: caller })).status).toBe(403);
      expect((await api("POST", `/api/referrals/${refB}/acknowledge`, { as: caller })).status).toBe(404);
      expect((await api("GET", `/api/referrals/${refB}/history`, { as: caller })).status).toBe(404);
    }
    const late = await deliver(partnerId, secret, message(statusChanged(refB, "in-progress", new Date())));
    expect(late.status).toBe(404);
    expect((await deliver(partnerId, secret, useEvent())).status).toBe(404);
    expect((await reportUse()).status).toBe(403);
    expect(await usesOfService()).toEqual(onlyIn(layout.b, 2));
    expect(await listedUses()).toHaveLength(0);
    expect((await referralReport(b)).status).toBe(403);
    expect((await api("GET", `/api/service-uses?centreId=${b}`, { as: token })).status).toBe(403);
    expect((await sentReferral(coordinators.b, b, partnerId)).status).toBe(422);
    // Its copy stays in B's database (B's records name it), yet B can no longer make it a provider.
    const providedAfter = await api("POST", "/api/services", {
      as: coordinators.b,
      body: { centreId: b, organizationId: partnerId, name: "Dentiste", category: "health", schedule },
    });
    expect(providedAfter.status, JSON.stringify(providedAfter.body)).toBe(422);
    expect((await api("GET", `/api/partners/${partnerId}`, { as: coordinators.b })).status).toBe(404);
    const listedAfter = await api("GET", `/api/partners?centreId=${b}&limit=100`, { as: coordinators.b });
    expect((listedAfter.body.items as { id: string }[]).map((p) => p.id)).not.toContain(partnerId);
    // The home centre's referral is untouched by all this.
    expect((await api("GET", `/api/referrals/${refA}`, { as: token })).status).toBe(200);
  });
});
