import { env } from "cloudflare:workers";
// The door's "+1 a service" for someone already inside and its undo: a use with no visit, counted once under
// its idempotency key; a voided visit or use kept for the audit trail but out of every figure (today's
// counts, capacity, lists, the roll-up's partials), voidable only by its recorder within 10 minutes.
import { parseVisitAggregate } from "@halte/core";
import { auditLog, serviceUses, visitRollups, visits } from "@halte/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Databases } from "../src/databases.js";
import { uuidv7 } from "../src/ids.js";
import { runRollupEverywhere, SETTLE_MS } from "../src/jobs/rollup.js";
import { api, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

async function door() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const shower = await givenService(centreId, partnerId, { dailyCapacity: 12 });
  const reception = await signedIn("reception", { centreId });
  return { centreId, shower, reception };
}

async function today(centreId: string, as: Awaited<ReturnType<typeof door>>["reception"]) {
  const answer = await api("GET", `/api/visits/today?centreId=${centreId}`, { as });
  expect(answer.status).toBe(200);
  return answer.body as {
    visits: number;
    services: { serviceId: string; uses: number; remaining: number | null; openings: unknown[] }[];
  };
}

const showers = (day: Awaited<ReturnType<typeof today>>, id: string) =>
  day.services.find((service) => service.serviceId === id);

describe("+1 a service for someone already inside", () => {
  it("records a use with no visit, once per idempotency key, and counts it against the day's capacity", async () => {
    const { centreId, shower, reception } = await door();
    const body = { centreId, serviceId: shower, usedAt: new Date().toISOString() };
    const headers = { "idempotency-key": `use-${crypto.randomUUID()}` };
    const first = await api("POST", "/api/service-uses", { as: reception, body, headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ visitId: null, source: "door", quantity: 1 });
    const retry = await api("POST", "/api/service-uses", { as: reception, body, headers });
    expect([retry.status, retry.body.id]).toEqual([200, first.body.id]);
    const day = await today(centreId, reception);
    expect(day.visits).toBe(0);
    expect(showers(day, shower)).toMatchObject({ uses: 1, remaining: 11 });
    expect(showers(day, shower)?.openings).toHaveLength(1);
  });
});

describe("undoing a tap", () => {
  it("voids a visit and the uses recorded with it: gone from today's counts, lists and capacity, audited", async () => {
    const { centreId, shower, reception } = await door();
    const recorded = await api("POST", "/api/visits", {
      as: reception,
      body: {
        centreId,
        arrivedAt: new Date().toISOString(),
        visitorCode: "HJ-7",
        uses: [{ serviceId: shower }],
      },
    });
    expect(recorded.status).toBe(201);
    await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: new Date().toISOString() },
    });
    expect((await today(centreId, reception)).visits).toBe(2);

    const undo = await api("POST", `/api/visits/${recorded.body.id}/void`, { as: reception });
    expect(undo.status).toBe(200);
    expect(undo.body.id).toBe(recorded.body.id);
    const day = await today(centreId, reception);
    expect(day.visits).toBe(1);
    expect(showers(day, shower)).toMatchObject({ uses: 0, remaining: 12 });
    const coordinator = await signedIn("coordinator", { centreId });
    const listed = await api("GET", `/api/visits?centreId=${centreId}`, { as: coordinator });
    expect(listed.body.items).toHaveLength(1);
    const uses = await api("GET", `/api/service-uses?centreId=${centreId}`, { as: coordinator });
    expect(uses.body.items).toHaveLength(0);
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
    const capacity = await api("GET", `/api/services/${shower}/capacity?date=${date}`, { as: coordinator });
    expect(capacity.body).toMatchObject({ used: 0, remaining: 12 });
    // Nothing personal is kept of a tap that should not have been.
    const [row] = await db.select().from(visits).where(eq(visits.id, recorded.body.id));
    expect([row?.visitorCodeHash, row?.voidedAt]).toEqual([null, undo.body.voidedAt]);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, recorded.body.id), eq(auditLog.action, "void")));
    expect(log.map((entry) => [entry.entity, entry.actorId])).toEqual([["visit", reception.userId]]);

    // A retried undo (its answer was lost) changes nothing and says when the first one happened.
    const again = await api("POST", `/api/visits/${recorded.body.id}/void`, { as: reception });
    expect([again.status, again.body.voidedAt]).toEqual([200, undo.body.voidedAt]);
    expect((await today(centreId, reception)).visits).toBe(1);
  });

  it("voids a lone use, and only its recorder may, within 10 minutes", async () => {
    const { centreId, shower, reception } = await door();
    const colleague = await signedIn("reception", { centreId });
    const coordinator = await signedIn("coordinator", { centreId });
    const use = async () =>
      (
        await api("POST", "/api/service-uses", {
          as: reception,
          body: { centreId, serviceId: shower, usedAt: new Date().toISOString() },
        })
      ).body.id as string;
    const first = await use();
    expect((await api("POST", `/api/service-uses/${first}/void`, { as: colleague })).status).toBe(403);
    expect((await api("POST", `/api/service-uses/${first}/void`, { as: coordinator })).status).toBe(403);
    expect((await api("POST", `/api/service-uses/${first}/void`, { as: reception })).status).toBe(200);

    const second = await use();
    const eleventhMinute = new Date(Date.now() - 11 * 60_000).toISOString();
    await db.update(serviceUses).set({ createdAt: eleventhMinute }).where(eq(serviceUses.id, second));
    const late = await api("POST", `/api/service-uses/${second}/void`, { as: reception });
    expect([late.status, late.body.code]).toEqual([409, "conflict"]);
    expect(showers(await today(centreId, reception), shower)?.uses).toBe(1);

    const elsewhere = await signedIn("reception", { centreId: await givenCentre() });
    expect((await api("POST", `/api/service-uses/${second}/void`, { as: elsewhere })).status).toBe(403);
    expect((await api("POST", `/api/visits/${uuidv7(new Date())}/void`, { as: reception })).status).toBe(404);
  });

  it("takes a voided visit and use out of the day's partial at the next roll-up", async () => {
    const { centreId, shower, reception } = await door();
    const tap = async (uses: { serviceId: string }[] = []) =>
      (
        await api("POST", "/api/visits", {
          as: reception,
          body: { centreId, arrivedAt: new Date().toISOString(), uses },
        })
      ).body.id as string;
    const mistaken = await tap([{ serviceId: shower }]);
    await tap([{ serviceId: shower }]);
    await tap();
    const run = () =>
      runRollupEverywhere({
        dbs: new Databases(env),
        now: new Date(Date.now() + SETTLE_MS),
        newId: () => uuidv7(new Date()),
      });
    const partial = async () => {
      const [row] = await db.select().from(visitRollups).where(eq(visitRollups.centreId, centreId));
      const parsed = parseVisitAggregate(row?.aggregate ?? "");
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.value;
    };
    await run();
    expect((await partial()).visits).toBe(3);
    expect((await partial()).services[shower]?.uses).toBe(2);
    expect((await api("POST", `/api/visits/${mistaken}/void`, { as: reception })).status).toBe(200);
    await run();
    expect((await partial()).visits).toBe(2);
    expect((await partial()).services[shower]?.uses).toBe(1);
  });
});
