// The door's ticket queue: take a number, call the next (exactly one use of the service), cancel; replays
// after offline change nothing; another centre's tickets are out of reach; bad input is a 4xx problem.
import { auditLog, serviceUses } from "@halte/db";
import { eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { earlierToday } from "../scripts/todays-clock.mjs";
import { api, type Caller, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

async function queuedShowers(dailyCapacity = 12) {
  const centreId = await givenCentre();
  const operator = await givenPartner(centreId, "Armée du Salut");
  const shower = await givenService(centreId, operator, {
    name: "Douches",
    dailyCapacity,
    ticketQueue: true,
  });
  const reception = await signedIn("reception", { centreId });
  const prefix = await api("POST", "/api/tickets/prefix", { as: reception, body: { centreId } });
  expect(prefix.status).toBe(200);
  return { centreId, operator, shower, reception, prefix: prefix.body.prefix as string };
}

let serial = 0;
function ticket(centreId: string, serviceId: string, prefix: string, number: number, takenAt = new Date()) {
  serial += 1;
  return {
    id: `tk-${serial}-${Date.now()}`,
    centreId,
    serviceId,
    takenAt: takenAt.toISOString(),
    prefix,
    number,
  };
}

async function take(as: Caller, body: ReturnType<typeof ticket>) {
  const answer = await api("POST", "/api/tickets", { as, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

const call = (as: Caller, id: string, calledAt = new Date()) =>
  api("POST", `/api/tickets/${id}/call`, { as, body: { calledAt: calledAt.toISOString() } });

async function showerUses(as: Caller, centreId: string, shower: string) {
  const today = await api("GET", `/api/visits/today?centreId=${centreId}`, { as });
  const service = today.body.services.find((s: { serviceId: string }) => s.serviceId === shower);
  return {
    uses: service.uses as number,
    remaining: service.remaining as number | null,
    queued: service.ticketQueue,
  };
}

describe("ticket queues", () => {
  it("give each caller its own letter, the same one every time", async () => {
    const { centreId, reception, prefix } = await queuedShowers();
    const again = await api("POST", "/api/tickets/prefix", { as: reception, body: { centreId } });
    expect(again.body.prefix).toBe(prefix);
    const other = await api("POST", "/api/tickets/prefix", {
      as: await signedIn("coordinator", { centreId }),
      body: { centreId },
    });
    expect(other.status).toBe(200);
    expect(other.body.prefix).not.toBe(prefix);
  });

  it("take, list in order with no estimate yet, call (one use, counted once), cancel", async () => {
    const { centreId, shower, reception, prefix } = await queuedShowers();
    const before = await showerUses(reception, centreId, shower);
    expect(before).toEqual({ uses: 0, remaining: 12, queued: true });
    // Taken half an hour ago, a minute apart, called 10 and 6 minutes ago: all today in Paris at any hour
    // (just after midnight the half hour is squeezed into the minutes of today so far, pace included).
    const back = earlierToday(new Date(), 30 * 60_000, "Europe/Paris");
    const taken = [];
    for (let n = 1; n <= 3; n++) {
      taken.push(await take(reception, ticket(centreId, shower, prefix, n, back((30 - n) * 60_000))));
    }
    expect(taken.map((t) => [t.label, t.status])).toEqual([
      [`${prefix}-1`, "waiting"],
      [`${prefix}-2`, "waiting"],
      [`${prefix}-3`, "waiting"],
    ]);
    const listed = await api("GET", `/api/tickets?centreId=${centreId}`, { as: reception });
    expect(listed.status).toBe(200);
    const [queue] = listed.body.queues;
    expect(queue.serviceId).toBe(shower);
    expect(queue.waiting.map((t: { label: string; position: number }) => [t.label, t.position])).toEqual([
      [`${prefix}-1`, 1],
      [`${prefix}-2`, 2],
      [`${prefix}-3`, 3],
    ]);
    // No pace yet: no estimate rather than a guess.
    expect(queue.minutesPerCall).toBeNull();
    expect(queue.waiting.map((t: { estimatedWaitMinutes: null }) => t.estimatedWaitMinutes)).toEqual([
      null,
      null,
      null,
    ]);

    const firstAt = back(10 * 60_000);
    const first = await call(reception, taken[0].id, firstAt);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "called", label: `${prefix}-1` });
    expect(await showerUses(reception, centreId, shower)).toMatchObject({ uses: 1, remaining: 11 });
    const use = await api("GET", `/api/service-uses?centreId=${centreId}&serviceId=${shower}`, {
      as: reception,
    });
    expect(use.body.items.map((u: { id: string; source: string }) => [u.id, u.source])).toEqual([
      [first.body.serviceUseId, "door"],
    ]);
    const capacity = await api("GET", `/api/services/${shower}/capacity?date=${listed.body.day}`, {
      as: await signedIn("coordinator", { centreId }),
    });
    expect(JSON.stringify(capacity.body)).toContain('"used":1');

    // A second call 4 minutes later (less just after midnight) gives a pace: the one left waiting is next,
    // about 4 minutes away.
    const secondAt = back(6 * 60_000);
    const second = await call(reception, taken[1].id, secondAt);
    expect(second.status).toBe(201);
    const pace = (secondAt.getTime() - firstAt.getTime()) / 60_000;
    const paced = (await api("GET", `/api/tickets?centreId=${centreId}`, { as: reception })).body.queues[0];
    expect(paced.minutesPerCall).toBe(pace);
    expect(
      paced.waiting.map((t: { label: string; estimatedWaitMinutes: number }) => [
        t.label,
        t.estimatedWaitMinutes,
      ]),
    ).toEqual([[`${prefix}-3`, Math.round(pace)]]);
    expect(paced.called.map((t: { label: string }) => t.label)).toEqual([`${prefix}-2`, `${prefix}-1`]);

    const cancelled = await api("POST", `/api/tickets/${taken[2].id}/cancel`, {
      as: reception,
      body: { cancelledAt: new Date().toISOString(), reason: "left" },
    });
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancelReason: "left", serviceUseId: null });
    expect(await showerUses(reception, centreId, shower)).toMatchObject({ uses: 2, remaining: 10 });

    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, taken[0].id));
    expect(log.map((row) => [row.action, row.entity])).toEqual([
      ["create", "ticket"],
      ["call", "ticket"],
    ]);
  });

  it("count a call exactly once through retries, replays and two tablets calling the same ticket", async () => {
    const { centreId, shower, reception, prefix } = await queuedShowers();
    const device = await signedIn("coordinator", { centreId });
    const body = ticket(centreId, shower, prefix, 1);
    await take(reception, body);
    // The same take sent again (a replay after offline): the stored ticket, 200, nothing new.
    const replay = await api("POST", "/api/tickets", { as: reception, body });
    expect([replay.status, replay.body.id]).toEqual([200, body.id]);

    const calls = await Promise.all([
      call(reception, body.id),
      call(reception, body.id),
      call(device, body.id),
    ]);
    // One of them recorded the use (201); the others answer with its call (200).
    expect(calls.map((answer) => answer.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(calls.map((answer) => answer.body.serviceUseId)).size).toBe(1);
    const again = await call(reception, body.id);
    expect(again.status).toBe(200);
    expect(again.body.serviceUseId).toBe(calls[0]?.body.serviceUseId);
    expect((await showerUses(reception, centreId, shower)).uses).toBe(1);
    const rows = await db
      .select()
      .from(serviceUses)
      .where(like(serviceUses.idempotencyKey, `ticket:${body.id}`));
    expect(rows).toHaveLength(1);

    // Called: it cannot be cancelled any more (its use was counted); cancelling twice is harmless.
    const late = await api("POST", `/api/tickets/${body.id}/cancel`, {
      as: reception,
      body: { cancelledAt: new Date().toISOString(), reason: "no_show" },
    });
    expect([late.status, late.body.code]).toEqual([409, "illegal_transition"]);
    const other = await take(reception, ticket(centreId, shower, prefix, 2));
    const cancel = { cancelledAt: new Date().toISOString(), reason: "no_show" };
    const cancels = [
      await api("POST", `/api/tickets/${other.id}/cancel`, { as: reception, body: cancel }),
      await api("POST", `/api/tickets/${other.id}/cancel`, { as: reception, body: cancel }),
    ];
    expect(cancels.map((answer) => answer.status)).toEqual([200, 200]);
    const refused = await call(reception, other.id);
    expect([refused.status, refused.body.code]).toEqual([409, "illegal_transition"]);
    expect((await showerUses(reception, centreId, shower)).uses).toBe(1);
  });

  it("keep numbers unique per service and day, and letters per device", async () => {
    const { centreId, shower, reception, prefix } = await queuedShowers();
    await take(reception, ticket(centreId, shower, prefix, 1));
    const twice = await api("POST", "/api/tickets", {
      as: reception,
      body: ticket(centreId, shower, prefix, 1),
    });
    expect([twice.status, twice.body.code]).toEqual([409, "conflict"]);
    // Another device cannot number with this device's letter.
    const coordinator = await signedIn("coordinator", { centreId });
    const borrowed = await api("POST", "/api/tickets", {
      as: coordinator,
      body: ticket(centreId, shower, prefix, 2),
    });
    expect([borrowed.status, borrowed.body.errors?.[0]?.path]).toEqual([422, ["prefix"]]);
  });

  it("let two door tablets number offline at once without a clash, and count each call once", async () => {
    const { centreId, shower } = await queuedShowers();
    const coordinator = await signedIn("coordinator", { centreId });
    const tablets: Caller[] = [];
    for (const name of ["Gate", "Showers desk"]) {
      const answer = await api("POST", "/api/door-devices", { as: coordinator, body: { centreId, name } });
      const secret = /halte_door=([^;]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1] ?? "";
      tablets.push({
        userId: answer.body.device.id,
        headers: { cookie: `halte_door=${secret}`, "x-csrf-token": answer.body.csrfToken },
      });
    }
    const letters: string[] = [];
    for (const tablet of tablets) {
      letters.push(
        (await api("POST", "/api/tickets/prefix", { as: tablet, body: { centreId } })).body.prefix,
      );
    }
    expect(new Set(letters).size).toBe(2);
    // Both offline for ten minutes (today's minutes: squeezed just after midnight): each gives its own 1, 2
    // and 3, then both replay at the same moment.
    const back = earlierToday(new Date(), 10 * 60_000, "Europe/Paris");
    const queued = tablets.map((_, t) =>
      [1, 2, 3].map((n) =>
        ticket(centreId, shower, letters[t] as string, n, back((10 - n * 2 - t) * 60_000)),
      ),
    );
    const answers = await Promise.all(
      queued.map(async (tickets, t) => {
        const statuses = [];
        for (const body of tickets) {
          statuses.push((await api("POST", "/api/tickets", { as: tablets[t] as Caller, body })).status);
        }
        return statuses;
      }),
    );
    expect(answers).toEqual([
      [201, 201, 201],
      [201, 201, 201],
    ]);
    const listed = (await api("GET", `/api/tickets?centreId=${centreId}`, { as: tablets[0] as Caller })).body;
    const labels = listed.queues[0].waiting.map((t: { label: string }) => t.label);
    expect(labels).toHaveLength(6);
    expect(new Set(labels).size).toBe(6);
    // Both call "the next" (the same first ticket) and each calls its own second: three uses, not four.
    const first = listed.queues[0].waiting[0].id;
    const calls = await Promise.all([
      call(tablets[0] as Caller, first),
      call(tablets[1] as Caller, first),
      call(tablets[0] as Caller, queued[0]?.[1]?.id ?? ""),
      call(tablets[1] as Caller, queued[1]?.[1]?.id ?? ""),
    ]);
    expect(calls.map((answer) => answer.status).sort()).toEqual([200, 201, 201, 201]);
    expect((await showerUses(tablets[0] as Caller, centreId, shower)).uses).toBe(3);
  });

  it("show only today's tickets: yesterday's waiting ones are gone", async () => {
    const { centreId, shower, reception, prefix } = await queuedShowers();
    const yesterday = await take(
      reception,
      ticket(centreId, shower, prefix, 1, new Date(Date.now() - 26 * 3600_000)),
    );
    const today = await take(reception, ticket(centreId, shower, prefix, 1));
    expect(yesterday.day).not.toBe(today.day);
    const queue = (await api("GET", `/api/tickets?centreId=${centreId}`, { as: reception })).body.queues[0];
    expect(queue.waiting.map((t: { id: string }) => t.id)).toEqual([today.id]);
  });

  it("keep another centre's tickets out of reach", async () => {
    const { centreId, shower, reception, prefix } = await queuedShowers();
    const mine = await take(reception, ticket(centreId, shower, prefix, 1));
    const elsewhere = await queuedShowers();
    const stranger = elsewhere.reception;
    expect((await call(stranger, mine.id)).status).toBe(404);
    const cancel = await api("POST", `/api/tickets/${mine.id}/cancel`, {
      as: stranger,
      body: { cancelledAt: new Date().toISOString(), reason: "left" },
    });
    expect(cancel.status).toBe(404);
    expect((await api("GET", `/api/tickets?centreId=${centreId}`, { as: stranger })).status).toBe(403);
    const foreign = await api("POST", "/api/tickets", {
      as: stranger,
      body: ticket(centreId, shower, elsewhere.prefix, 1),
    });
    expect(foreign.status).toBe(403);
    const theirService = await api("POST", "/api/tickets", {
      as: stranger,
      body: ticket(elsewhere.centreId, shower, elsewhere.prefix, 1),
    });
    expect(theirService.status).toBe(422);
    expect((await call(reception, mine.id)).status).toBe(201);
  });

  it("refuse bad input with problem details, never a 5xx", async () => {
    const { centreId, shower, reception, prefix, operator } = await queuedShowers();
    const plain = await givenService(centreId, operator, { name: "Café" });
    const good = ticket(centreId, shower, prefix, 1);
    const bodies: unknown[] = [
      {},
      { ...good, number: -1 },
      { ...good, number: 1.5 },
      { ...good, prefix: "I" },
      { ...good, takenAt: "yesterday" },
      { ...good, takenAt: "2035-01-01T00:00:00Z" },
      { ...good, id: "../x" },
      { ...good, name: "Ahmad" },
      { ...good, serviceId: plain },
      { ...good, serviceId: "nope" },
      null,
      [],
    ];
    for (const body of bodies) {
      const answer = await api("POST", "/api/tickets", { as: reception, body });
      expect(answer.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(body)).toBeLessThan(500);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    const taken = await take(reception, good);
    for (const body of [{}, { calledAt: "now" }, { calledAt: "1990-01-01T00:00:00Z" }]) {
      const answer = await api("POST", `/api/tickets/${taken.id}/call`, { as: reception, body });
      expect(answer.status, JSON.stringify(body)).toBe(422);
    }
    const bad = await api("POST", `/api/tickets/${taken.id}/cancel`, {
      as: reception,
      body: { cancelledAt: new Date().toISOString(), reason: "arrested" },
    });
    expect(bad.status).toBe(422);
    expect((await api("GET", "/api/tickets", { as: await signedIn("admin") })).status).toBe(422);
    expect(
      (await api("GET", `/api/tickets?centreId=${centreId}`, { as: await signedIn("observer") })).status,
    ).toBe(403);
    // Nothing was counted by all that.
    expect((await showerUses(reception, centreId, shower)).uses).toBe(0);
  });
});
