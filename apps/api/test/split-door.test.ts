// Issue 16, one database per centre: the door (taps, backlogs, today's counts, undo), services, service uses
// and ticket queues of a centre live in that centre's own database — none in the directory, none in another
// centre's — while door devices and sessions stay in the directory. A caller of centre A reaches nothing of
// centre B's, with the status codes of the single layout. All through the Worker, on real local D1.
import { env } from "cloudflare:workers";
import {
  auditLog,
  centres,
  type Db,
  services,
  serviceUses,
  ticketPrefixes,
  tickets,
  visits,
} from "@halte/db";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { earlierToday } from "../scripts/todays-clock.mjs";
import { api, type Caller, callHandler, countingD1, db, partnerToken, signedIn } from "./helpers.js";
import { type CentreBinding, centreDb, givenCentreIn, givenPartnerIn } from "./split-helpers.js";

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "00:00", closesAt: "23:59" }));

function showers(organizationId: string, extra: Record<string, unknown> = {}) {
  return {
    organizationId,
    name: "Douches",
    category: "hygiene",
    languages: ["fr"],
    schedule: { timeZone: "Europe/Paris", weekly: everyDay, exceptions: [], dailyCapacity: 12 },
    translations: {},
    ...extra,
  };
}

/** A centre on its own database with a partner, a showers service (through the API) and its staff. */
async function centreOn(binding: CentreBinding, extra: Record<string, unknown> = {}) {
  const centreId = await givenCentreIn(binding);
  const partnerId = await givenPartnerIn(binding, centreId, "Aurore");
  const coordinator = await signedIn("coordinator", { centreId });
  const reception = await signedIn("reception", { centreId });
  const created = await api("POST", "/api/services", {
    as: coordinator,
    body: { centreId, ...showers(partnerId, extra) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { binding, centreId, partnerId, coordinator, reception, shower: created.body.id as string };
}

async function doorDeviceOf(coordinator: Caller, centreId: string): Promise<Caller> {
  const answer = await api("POST", "/api/door-devices", {
    as: coordinator,
    body: { centreId, name: "Tablet at the gate" },
  });
  expect(answer.status).toBe(201);
  const secret = /halte_door=([^;]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return {
    userId: answer.body.device.id,
    headers: { cookie: `halte_door=${secret}`, "x-csrf-token": answer.body.csrfToken },
  };
}

let serial = 0;
const tap = (centreId: string, uses: { serviceId: string }[] = []) => ({
  centreId,
  // A minute ago, but today in Paris at any hour: the tests read these taps in today's counts.
  arrivedAt: earlierToday(new Date(), 60_000, "Europe/Paris")(60_000).toISOString(),
  idempotencyKey: `split-${Date.now()}-${++serial}`,
  uses,
});

const everyBinding: CentreBinding[] = ["CENTRE_A", "CENTRE_B", "CENTRE_C"];

/** Which databases hold a row of `table` with one of these ids: "DB" for the directory, else the binding. */
async function whereRows(
  table: typeof visits | typeof serviceUses | typeof services | typeof tickets,
  ids: string[],
): Promise<string[]> {
  const held: string[] = [];
  const databases: Array<[string, Db]> = [
    ["DB", db],
    ...everyBinding.map((b) => [b, centreDb(b)] as [string, Db]),
  ];
  for (const [name, database] of databases) {
    const rows = await database.select({ id: table.id }).from(table).where(inArray(table.id, ids));
    for (const _row of rows) held.push(name);
  }
  return held;
}

/** The ids of every page of a list, following its cursors. */
async function everyPage(as: Caller, path: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(
      "GET",
      `${path}${cursor ? `&cursor=${cursor}` : ""}`,
      { as },
    );
    seen.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return seen;
}

async function auditIn(database: Db, entityId: string) {
  return (await database.select().from(auditLog).where(eq(auditLog.entityId, entityId))).map((r) => r.action);
}

describe("one database per centre: services", () => {
  it("keeps a centre's services, their edits and archive in its own database, with their audit", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    expect(await whereRows(services, [a.shower])).toEqual(["CENTRE_A"]);
    expect(await whereRows(services, [b.shower])).toEqual(["CENTRE_B"]);

    const read = await api("GET", `/api/services/${a.shower}`, { as: a.coordinator });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: a.shower, centreId: a.centreId, name: "Douches" });
    const renamed = await api("PUT", `/api/services/${a.shower}`, {
      as: a.coordinator,
      body: showers(a.partnerId, { name: "Douches chaudes" }),
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.name).toBe("Douches chaudes");
    const [stored] = await centreDb("CENTRE_A").select().from(services).where(eq(services.id, a.shower));
    expect(stored?.name).toBe("Douches chaudes");

    const capacity = await api("GET", `/api/services/${a.shower}/capacity`, { as: a.reception });
    expect(capacity.status).toBe(200);
    expect(capacity.body).toMatchObject({ serviceId: a.shower, dailyCapacity: 12, used: 0, remaining: 12 });

    const archived = await api("POST", `/api/services/${a.shower}/archive`, { as: a.coordinator });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await whereRows(services, [a.shower])).length).toBe(1);
    expect(await auditIn(centreDb("CENTRE_A"), a.shower)).toEqual(["create", "update", "archive"]);
    expect(await auditIn(db, a.shower)).toEqual([]);
    expect(await auditIn(centreDb("CENTRE_B"), a.shower)).toEqual([]);
  });

  it("lists a centre's services from its database, and every centre's to an admin of all, paged in id order", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    const c = await centreOn("CENTRE_C");
    const listed = await api("GET", `/api/services?centreId=${a.centreId}`, { as: a.coordinator });
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([a.shower]);
    const own = await api("GET", "/api/services", { as: b.reception });
    expect(own.body.items.map((s: { id: string }) => s.id)).toEqual([b.shower]);

    const admin = await signedIn("admin");
    const seen = await everyPage(admin, "/api/services?limit=1");
    const ours = seen.filter((id) => [a.shower, b.shower, c.shower].includes(id));
    expect(ours).toEqual([a.shower, b.shower, c.shower].sort());
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("refuses a caller of centre A centre B's services exactly as on one database", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    for (const path of [`/api/services/${b.shower}`, `/api/services/${b.shower}/capacity`]) {
      expect((await api("GET", path, { as: a.coordinator })).status).toBe(404);
    }
    const edit = await api("PUT", `/api/services/${b.shower}`, {
      as: a.coordinator,
      body: showers(b.partnerId),
    });
    expect(edit.status).toBe(404);
    expect((await api("POST", `/api/services/${b.shower}/archive`, { as: a.coordinator })).status).toBe(404);
    expect((await api("GET", `/api/services?centreId=${b.centreId}`, { as: a.coordinator })).status).toBe(
      404,
    );
    const intoB = await api("POST", "/api/services", {
      as: a.coordinator,
      body: { centreId: b.centreId, ...showers(b.partnerId) },
    });
    expect(intoB.status).toBe(403);
    // Centre B's partner is no provider at centre A: its copy is not in A's database.
    const foreignProvider = await api("POST", "/api/services", {
      as: a.coordinator,
      body: { centreId: a.centreId, ...showers(b.partnerId) },
    });
    expect(foreignProvider.status).toBe(422);
    const [stored] = await centreDb("CENTRE_B").select().from(services).where(eq(services.id, b.shower));
    expect(stored).toMatchObject({ name: "Douches", archivedAt: null });
  });
});

describe("one database per centre: the door", () => {
  it("records taps, batches and a backlog in the centre's database only, and counts them on the door screen", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    const device = await doorDeviceOf(a.coordinator, a.centreId);
    const one = await api("POST", "/api/visits", {
      as: a.reception,
      body: tap(a.centreId, [{ serviceId: a.shower }]),
    });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body).toMatchObject({ centreId: a.centreId, uses: [{ serviceId: a.shower }] });
    const uploaded = await api("POST", "/api/visits/batch", {
      as: device,
      body: { visits: [tap(a.centreId)] },
    });
    expect(uploaded.body).toMatchObject({ created: 1, duplicates: 0 });
    const backlog = [tap(a.centreId), tap(a.centreId, [{ serviceId: a.shower }]), tap(a.centreId)];
    const sent = await api("POST", "/api/visits/batch", { as: device, body: { visits: backlog } });
    expect(sent.body).toMatchObject({ created: 3, duplicates: 0 });
    const again = await api("POST", "/api/visits/batch", { as: device, body: { visits: backlog } });
    expect(again.body).toMatchObject({ created: 0, duplicates: 3 });

    const ids = [
      one.body.id,
      uploaded.body.results[0].id,
      ...sent.body.results.map((r: { id: string }) => r.id),
    ] as string[];
    expect(await whereRows(visits, ids)).toEqual(Array(5).fill("CENTRE_A"));
    const uses = await centreDb("CENTRE_A")
      .select()
      .from(serviceUses)
      .where(inArray(serviceUses.visitId, ids));
    expect(uses).toHaveLength(2);
    expect(
      await whereRows(
        serviceUses,
        uses.map((u) => u.id),
      ),
    ).toEqual(["CENTRE_A", "CENTRE_A"]);
    expect(await auditIn(centreDb("CENTRE_A"), one.body.id)).toEqual(["create"]);
    expect(await auditIn(db, one.body.id)).toEqual([]);
    const [recorded] = await centreDb("CENTRE_A").select().from(visits).where(eq(visits.id, one.body.id));
    expect(recorded?.recordedBy).toBe(a.reception.userId);

    const today = await api("GET", `/api/visits/today?centreId=${a.centreId}`, { as: device });
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ centreId: a.centreId, visits: 5 });
    expect(today.body.services).toMatchObject([
      { serviceId: a.shower, uses: 2, capacity: 12, remaining: 10 },
    ]);
    const todayB = await api("GET", "/api/visits/today", { as: b.reception });
    expect(todayB.body).toMatchObject({ centreId: b.centreId, visits: 0 });
    expect(todayB.body.services).toMatchObject([{ serviceId: b.shower, uses: 0 }]);
    const capacity = await api("GET", `/api/services/${a.shower}/capacity`, { as: a.reception });
    expect(capacity.body).toMatchObject({ used: 2, remaining: 10 });
  });

  it("lists visits from the centre's database, every centre's merged for an admin of all", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    const admin = await signedIn("admin");
    // An admin of every centre uploads for two centres at once: each visit goes to its centre's database.
    const both = await api("POST", "/api/visits/batch", {
      as: admin,
      body: { visits: [tap(a.centreId), tap(b.centreId), tap(a.centreId)] },
    });
    expect(both.status, JSON.stringify(both.body)).toBe(200);
    const [ia, ib, ia2] = both.body.results.map((r: { id: string }) => r.id) as string[];
    expect(await whereRows(visits, [ia as string, ia2 as string])).toEqual(["CENTRE_A", "CENTRE_A"]);
    expect(await whereRows(visits, [ib as string])).toEqual(["CENTRE_B"]);

    const listA = await api("GET", "/api/visits", { as: a.coordinator });
    expect(listA.body.items.map((v: { id: string }) => v.id)).toEqual([ia, ia2].sort());
    const listB = await api("GET", `/api/visits?centreId=${b.centreId}`, { as: b.coordinator });
    expect(listB.body.items.map((v: { id: string }) => v.id)).toEqual([ib]);
    const seen = await everyPage(admin, "/api/visits?limit=2");
    expect(seen.filter((id) => [ia, ib, ia2].includes(id))).toEqual([ia, ib, ia2].sort());
    expect(seen).toEqual([...seen].sort());
  });

  it("refuses a caller of centre A at centre B's door exactly as on one database", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    const device = await doorDeviceOf(a.coordinator, a.centreId);
    for (const caller of [a.reception, device]) {
      expect((await api("POST", "/api/visits", { as: caller, body: tap(b.centreId) })).status).toBe(403);
      const batch = await api("POST", "/api/visits/batch", {
        as: caller,
        body: { visits: [tap(b.centreId)] },
      });
      expect(batch.status).toBe(403);
      const foreign = await api("POST", "/api/visits", {
        as: caller,
        body: tap(a.centreId, [{ serviceId: b.shower }]),
      });
      expect(foreign.status).toBe(422);
      expect(foreign.body.errors).toMatchObject([{ path: ["uses", 0, "serviceId"] }]);
      expect((await api("GET", `/api/visits/today?centreId=${b.centreId}`, { as: caller })).status).toBe(403);
    }
    expect((await api("GET", `/api/visits?centreId=${b.centreId}`, { as: a.coordinator })).status).toBe(403);
    const inB = await api("POST", "/api/visits", { as: b.reception, body: tap(b.centreId) });
    expect(inB.status).toBe(201);
    const listA = await api("GET", "/api/visits", { as: a.coordinator });
    expect(listA.body.items).toEqual([]);
    // Another centre's tap cannot be undone: 403, as on one database; it stays counted.
    const undo = await api("POST", `/api/visits/${inB.body.id}/void`, { as: a.reception });
    expect(undo.status).toBe(403);
    expect(
      (await api("POST", "/api/visits/0190d5f0-0000-7000-8000-000000000000/void", { as: a.reception }))
        .status,
    ).toBe(404);
    const [kept] = await centreDb("CENTRE_B").select().from(visits).where(eq(visits.id, inB.body.id));
    expect(kept?.voidedAt).toBeNull();
    expect(await centreDb("CENTRE_A").select().from(visits).where(eq(visits.centreId, a.centreId))).toEqual(
      [],
    );
  });

  it("undoes a tap and its uses in the centre's database, audited there", async () => {
    const a = await centreOn("CENTRE_A");
    const device = await doorDeviceOf(a.coordinator, a.centreId);
    const tapped = await api("POST", "/api/visits", {
      as: device,
      body: tap(a.centreId, [{ serviceId: a.shower }]),
    });
    expect(tapped.status).toBe(201);
    const undo = await api("POST", `/api/visits/${tapped.body.id}/void`, { as: device });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const [voided] = await centreDb("CENTRE_A").select().from(visits).where(eq(visits.id, tapped.body.id));
    expect(voided?.voidedAt).toBe(undo.body.voidedAt);
    const uses = await centreDb("CENTRE_A")
      .select()
      .from(serviceUses)
      .where(eq(serviceUses.visitId, tapped.body.id));
    expect(uses.map((u) => u.voidedAt)).toEqual([undo.body.voidedAt]);
    expect(await auditIn(centreDb("CENTRE_A"), tapped.body.id)).toEqual(["create", "void"]);
    const today = await api("GET", "/api/visits/today", { as: device });
    expect(today.body).toMatchObject({ visits: 0 });
    expect(today.body.services).toMatchObject([{ uses: 0 }]);
  });
});

describe("one database per centre: service uses", () => {
  it("records the door's +1 and a partner's report in the centre's database, lists and undoes them there", async () => {
    const a = await centreOn("CENTRE_A");
    const b = await centreOn("CENTRE_B");
    const plusOne = {
      centreId: a.centreId,
      serviceId: a.shower,
      usedAt: new Date().toISOString(),
      quantity: 1,
    };
    const door = await api("POST", "/api/service-uses", {
      as: a.reception,
      body: { ...plusOne, source: "door" },
      headers: { "idempotency-key": `split-use-${++serial}` },
    });
    expect(door.status, JSON.stringify(door.body)).toBe(201);
    const token = await partnerToken(a.centreId, a.partnerId);
    const report = await api("POST", "/api/service-uses", {
      as: token,
      body: { ...plusOne, quantity: 4, source: "partner_report" },
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(await whereRows(serviceUses, [door.body.id, report.body.id])).toEqual(["CENTRE_A", "CENTRE_A"]);
    expect(await auditIn(centreDb("CENTRE_A"), report.body.id)).toEqual(["create"]);
    expect(await auditIn(db, report.body.id)).toEqual([]);

    // The partner reads the uses of its own services, without the visits they came with.
    const listed = await api("GET", "/api/service-uses", { as: token });
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([door.body.id, report.body.id]);
    const atDoor = await api("GET", `/api/service-uses?centreId=${a.centreId}`, { as: a.reception });
    expect(atDoor.body.items.map((u: { id: string }) => u.id)).toEqual([door.body.id, report.body.id]);
    expect((await api("GET", "/api/service-uses", { as: b.reception })).body.items).toEqual([]);
    // A partner's staff (a session, not a token) read the same, and centre B's partner staff nothing of A's.
    const partnerUser = await signedIn("partner", { centreId: a.centreId, partnerId: a.partnerId });
    const asUser = await api("GET", "/api/service-uses", { as: partnerUser });
    expect(asUser.body.items.map((u: { id: string; visitId: null }) => u.id)).toEqual([
      door.body.id,
      report.body.id,
    ]);
    const partnerUserB = await signedIn("partner", { centreId: b.centreId, partnerId: b.partnerId });
    expect((await api("GET", "/api/service-uses", { as: partnerUserB })).body.items).toEqual([]);
    const listedByBAtA = await api("GET", `/api/service-uses?centreId=${a.centreId}`, { as: partnerUserB });
    expect(listedByBAtA.status).toBe(403);

    // Centre B's partner and staff reach nothing of centre A's, with the single layout's answers.
    const tokenB = await partnerToken(b.centreId, b.partnerId);
    const intoA = await api("POST", "/api/service-uses", {
      as: tokenB,
      body: { ...plusOne, source: "partner_report" },
    });
    expect(intoA.status).toBe(403);
    const bAtA = await api("POST", "/api/service-uses", {
      as: b.reception,
      body: { ...plusOne, source: "door" },
    });
    expect(bAtA.status).toBe(403);
    expect((await api("POST", `/api/service-uses/${door.body.id}/void`, { as: b.reception })).status).toBe(
      403,
    );

    const undo = await api("POST", `/api/service-uses/${door.body.id}/void`, { as: a.reception });
    expect(undo.status).toBe(200);
    const [voided] = await centreDb("CENTRE_A")
      .select()
      .from(serviceUses)
      .where(eq(serviceUses.id, door.body.id));
    expect(voided?.voidedAt).toBe(undo.body.voidedAt);
    const capacity = await api("GET", `/api/services/${a.shower}/capacity`, { as: a.reception });
    expect(capacity.body).toMatchObject({ used: 4, remaining: 8 });
  });
});

describe("one database per centre: ticket queues", () => {
  it("gives letters, takes, lists, calls and cancels tickets in the centre's database only", async () => {
    const a = await centreOn("CENTRE_A", { ticketQueue: true });
    const b = await centreOn("CENTRE_B", { ticketQueue: true });
    const claimed = await api("POST", "/api/tickets/prefix", {
      as: a.reception,
      body: { centreId: a.centreId },
    });
    expect(claimed.status).toBe(200);
    const prefix = claimed.body.prefix as string;
    const prefixes = await centreDb("CENTRE_A")
      .select()
      .from(ticketPrefixes)
      .where(eq(ticketPrefixes.centreId, a.centreId));
    expect(prefixes.map((p) => p.prefix)).toEqual([prefix]);
    expect(await db.select().from(ticketPrefixes).where(eq(ticketPrefixes.centreId, a.centreId))).toEqual([]);

    const taken: string[] = [];
    for (const number of [1, 2]) {
      const body = {
        id: `split-tk-${++serial}-${Date.now()}`,
        centreId: a.centreId,
        serviceId: a.shower,
        takenAt: new Date().toISOString(),
        prefix,
        number,
      };
      const answer = await api("POST", "/api/tickets", { as: a.reception, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect((await api("POST", "/api/tickets", { as: a.reception, body })).status).toBe(200);
      taken.push(answer.body.id);
    }
    expect(await whereRows(tickets, taken)).toEqual(["CENTRE_A", "CENTRE_A"]);
    const queues = await api("GET", "/api/tickets", { as: a.reception });
    expect(queues.body.queues).toMatchObject([
      { serviceId: a.shower, waiting: [{ number: 1 }, { number: 2 }] },
    ]);

    // Centre B's door does not see or act on centre A's tickets: 404, as on one database.
    const bCalls = await api("POST", `/api/tickets/${taken[0]}/call`, {
      as: b.reception,
      body: { calledAt: new Date().toISOString() },
    });
    expect(bCalls.status).toBe(404);
    const bCancels = await api("POST", `/api/tickets/${taken[1]}/cancel`, {
      as: b.reception,
      body: { cancelledAt: new Date().toISOString(), reason: "left" },
    });
    expect(bCancels.status).toBe(404);
    expect((await api("GET", "/api/tickets", { as: b.reception })).body.queues).toMatchObject([
      { serviceId: b.shower, waiting: [] },
    ]);
    const deviceB = await doorDeviceOf(b.coordinator, b.centreId);
    expect((await api("GET", `/api/tickets?centreId=${a.centreId}`, { as: deviceB })).status).toBe(403);
    const deviceCalls = await api("POST", `/api/tickets/${taken[0]}/call`, {
      as: deviceB,
      body: { calledAt: new Date().toISOString() },
    });
    expect(deviceCalls.status).toBe(404);
    const claimAtA = await api("POST", "/api/tickets/prefix", {
      as: deviceB,
      body: { centreId: a.centreId },
    });
    expect(claimAtA.status).toBe(403);

    const called = await api("POST", `/api/tickets/${taken[0]}/call`, {
      as: a.reception,
      body: { calledAt: new Date().toISOString() },
    });
    expect(called.status, JSON.stringify(called.body)).toBe(201);
    expect(await whereRows(serviceUses, [called.body.serviceUseId])).toEqual(["CENTRE_A"]);
    const cancelled = await api("POST", `/api/tickets/${taken[1]}/cancel`, {
      as: a.reception,
      body: { cancelledAt: new Date().toISOString(), reason: "no_show" },
    });
    expect(cancelled.body.status).toBe("cancelled");
    expect(await auditIn(centreDb("CENTRE_A"), taken[0] as string)).toEqual(["create", "call"]);
    expect(await auditIn(db, taken[0] as string)).toEqual([]);
    const today = await api("GET", "/api/visits/today", { as: a.reception });
    expect(today.body.services).toMatchObject([{ serviceId: a.shower, uses: 1, remaining: 11 }]);
  });
});

type Bindings = NonNullable<Parameters<typeof callHandler>[2]>["bindings"];

describe("one database per centre: the door tap's round trips", () => {
  async function counted(as: Caller, sent: unknown, path = "/api/visits") {
    const directory = { roundTrips: 0 };
    const centre = { roundTrips: 0 };
    const answer = await callHandler("POST", path, {
      as,
      body: JSON.stringify(sent),
      // The centre databases are bound beside `DB` (vitest.config.ts); the Worker's own type names `DB` only.
      bindings: { DB: countingD1(env.DB, directory), CENTRE_A: countingD1(env.CENTRE_A, centre) } as Bindings,
    });
    const body = answer.body as { id: string; localDay: string };
    return { ...answer, body, directory: directory.roundTrips, centre: centre.roundTrips };
  }

  it("costs one round trip, in the centre's database alone, once the caller holds a grant there", async () => {
    const a = await centreOn("CENTRE_A");
    const device = await doorDeviceOf(a.coordinator, a.centreId);
    // The first tap of a centre in an isolate: the session, then the centre read in the directory (which
    // names its database), then the centre's database read and written the ordinary way, with the
    // session's credential grant.
    const first = await counted(a.reception, tap(a.centreId));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(trips(first)).toEqual({ directory: 2, centre: 2 });
    // The device's first tap: no grant for it yet in the centre's database (nothing written), its look-up
    // in the directory and its first last-use stamp there, then the write with its grant.
    const granting = await counted(device, tap(a.centreId));
    expect(granting.status).toBe(201);
    expect(trips(granting)).toEqual({ directory: 2, centre: 2 });
    for (const caller of [a.reception, device]) {
      const again = await counted(caller, tap(a.centreId, [{ serviceId: a.shower }]));
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(trips(again)).toEqual({ directory: 0, centre: 1 });
      const batch = await counted(caller, { visits: [tap(a.centreId)] }, "/api/visits/batch");
      expect(batch.body).toMatchObject({ created: 1 });
      expect(trips(batch)).toEqual({ directory: 0, centre: 1 });
      const plusOne = await counted(
        caller,
        {
          centreId: a.centreId,
          serviceId: a.shower,
          usedAt: new Date().toISOString(),
          quantity: 1,
          source: "door",
        },
        "/api/service-uses",
      );
      expect(plusOne.status, JSON.stringify(plusOne.body)).toBe(201);
      expect(trips(plusOne)).toEqual({ directory: 0, centre: 1 });
      const [use] = await centreDb("CENTRE_A")
        .select()
        .from(serviceUses)
        .where(eq(serviceUses.id, plusOne.body.id));
      expect(use).toMatchObject({ recordedBy: caller.userId, localDay: plusOne.body.localDay });
      expect(await auditIn(centreDb("CENTRE_A"), plusOne.body.id)).toEqual(["create"]);
    }
    const written = await centreDb("CENTRE_A").select().from(visits).where(eq(visits.centreId, a.centreId));
    expect(written).toHaveLength(6);
    const [one] = written.filter((v) => v.recordedBy === device.userId);
    expect(await auditIn(centreDb("CENTRE_A"), one?.id ?? "")).toEqual(["create"]);
    expect(await db.select().from(visits).where(eq(visits.centreId, a.centreId))).toEqual([]);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.centreId, a.centreId))).toEqual([]);
  });

  it("never writes for a revoked device, and follows the centre's new zone and archive though the isolate held the old", async () => {
    const a = await centreOn("CENTRE_A");
    const device = await doorDeviceOf(a.coordinator, a.centreId);
    expect((await counted(device, tap(a.centreId))).status).toBe(201);
    // Kiritimati is UTC+14: 2026-11-28T11:00Z is already the 29th there. The centre edit writes the
    // centre database's copy and the directory's row alike.
    for (const database of [db, centreDb("CENTRE_A")]) {
      const [row] = await database.select().from(centres).where(eq(centres.id, a.centreId));
      const openingHours = { ...(row?.openingHours as CentreHours), timeZone: "Pacific/Kiritimati" };
      await database
        .update(centres)
        .set({ timeZone: "Pacific/Kiritimati", openingHours })
        .where(eq(centres.id, a.centreId));
    }
    const late = { ...tap(a.centreId), arrivedAt: "2026-11-28T11:00:00Z" };
    const moved = await counted(device, late);
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ localDay: "2026-11-29" });
    const again = await counted(device, { ...late, idempotencyKey: `split-late-${Date.now()}-${++serial}` });
    expect(again.body).toMatchObject({ localDay: "2026-11-29" });
    expect(trips(again)).toEqual({ directory: 0, centre: 1 });
    // A retried tap: its first record, nothing more written.
    const retried = await counted(device, late);
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(moved.body.id);

    const at = new Date().toISOString();
    for (const database of [db, centreDb("CENTRE_A")]) {
      await database.update(centres).set({ archivedAt: at }).where(eq(centres.id, a.centreId));
    }
    expect((await counted(device, tap(a.centreId))).status).toBe(422);
    expect(
      (await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: a.coordinator })).status,
    ).toBe(200);
    expect((await counted(device, tap(a.centreId))).status).toBe(401);
    expect(
      await centreDb("CENTRE_A").select().from(visits).where(eq(visits.centreId, a.centreId)),
    ).toHaveLength(3);
  });
});

function trips(answer: { directory: number; centre: number }) {
  return { directory: answer.directory, centre: answer.centre };
}

type CentreHours = typeof centres.$inferSelect.openingHours;
