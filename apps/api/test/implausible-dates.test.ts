// Issue 12, finding 7: partners' service uses are dated within what the centre's retention and the clock
// allow and count at most 500 uses; a partner clock running ahead does not block the centre's next change.
import { serviceUses } from "@halte/db";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { api, type Caller, db, partnerToken } from "./helpers.js";
import {
  deliver,
  givenSentReferral,
  givenWebhookPartner,
  message,
  statusChanged,
} from "./webhooks-helpers.js";

let centreId: string;
let partnerId: string;
let admin: Caller;
let secret: string;
let serviceId: string;
let token: Caller;

beforeAll(async () => {
  ({ centreId, partnerId, admin, secret } = await givenWebhookPartner());
  const service = await api("POST", "/api/services", {
    as: admin,
    body: {
      centreId,
      organizationId: partnerId,
      name: "Consultations",
      category: "health",
      schedule: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
    },
  });
  expect(service.status).toBe(201);
  serviceId = service.body.id;
  token = await partnerToken(centreId, partnerId);
});

async function usesStored(): Promise<number> {
  return (await db.select().from(serviceUses).where(eq(serviceUses.serviceId, serviceId))).length;
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const implausible: Array<[string, Record<string, unknown>, string]> = [
  ["dated 1990", { usedAt: "1990-01-01T12:00:00Z" }, "usedAt"],
  ["dated 2019, before the centre's 24 months", { usedAt: "2019-06-01T12:00:00Z" }, "usedAt"],
  ["dated 2035", { usedAt: "2035-01-01T12:00:00Z" }, "usedAt"],
  ["dated 10 minutes ahead", { usedAt: minutesFromNow(10) }, "usedAt"],
  ["counting 10,000 uses", { quantity: 10_000 }, "quantity"],
  ["counting 501 uses", { quantity: 501 }, "quantity"],
];

describe("a partner's report of uses through the API (POST /api/service-uses)", () => {
  it.each(implausible)(
    "is refused when %s: 422 on the field, nothing stored",
    async (_what, change, field) => {
      const before = await usesStored();
      const body = {
        centreId,
        serviceId,
        usedAt: minutesFromNow(-60),
        quantity: 3,
        source: "partner_report",
        ...change,
      };
      const response = await api("POST", "/api/service-uses", { as: token, body });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((e: { path: string[] }) => e.path.join("."))).toEqual([field]);
      expect(await usesStored()).toBe(before);
    },
  );

  it("is recorded when dated within the window, up to 5 minutes ahead, with up to 500 uses", async () => {
    for (const usedAt of [minutesFromNow(-60 * 24 * 300), minutesFromNow(4)]) {
      const body = { centreId, serviceId, usedAt, quantity: 500, source: "partner_report" };
      expect((await api("POST", "/api/service-uses", { as: token, body })).status).toBe(201);
    }
  });
});

describe("a partner's report of uses by signed webhook (service_use.reported)", () => {
  it.each(implausible)(
    "is refused when %s: 400 on data's field, nothing stored",
    async (_what, change, field) => {
      const before = await usesStored();
      const data = {
        serviceId,
        usedAt: minutesFromNow(-60),
        quantity: 3,
        occurredAt: new Date().toISOString(),
        ...change,
      };
      const response = await deliver(partnerId, secret, message({ type: "service_use.reported", data }));
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { path: string[] }) => e.path.join("."))).toEqual([
        `data.${field}`,
      ]);
      expect(await usesStored()).toBe(before);
    },
  );
});

describe("a partner whose clock runs ahead", () => {
  it("does not block the centre's next status change for those minutes", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const ahead = new Date(Date.now() + 4 * 60_000);
    const accepted = await deliver(partnerId, secret, message(statusChanged(referralId, "accepted", ahead)));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const hold = await api("POST", `/api/referrals/${referralId}/status`, {
      as: admin,
      body: { status: "on-hold" },
    });
    expect(hold.status, JSON.stringify(hold.body)).toBe(200);
    expect(hold.body.status).toBe("on-hold");
    const timeline = await api("GET", `/api/referrals/${referralId}/history`, { as: admin });
    expect(timeline.body.items.map((line: { to: string }) => line.to)).toEqual([
      "requested",
      "accepted",
      "on-hold",
    ]);
  });
});
