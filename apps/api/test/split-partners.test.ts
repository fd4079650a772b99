// Issue 16, one database per centre: referrals, partners and partner webhooks with centres on their own
// databases (CENTRE_A, CENTRE_B) beside the directory (DB). Each test goes through the API and then reads
// every database, to show where the rows landed, that a caller of one centre never reaches another's, and
// that the feature still works end to end.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Schedule } from "@halte/core";
import {
  auditLog,
  consents,
  credentialGrants,
  type Db,
  inboundWebhooks,
  partners,
  referralAcknowledgements,
  referralHistory,
  referrals,
  serviceCapacityReports,
  services,
  serviceUses,
  webhookDeliveries,
} from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { consumeWebhookQueue, type OutboundWebhookMessage } from "../src/routes/webhooks/delivery.js";
import { api, type Caller, callHandler, countingD1, db, partnerToken, signedIn } from "./helpers.js";
import { type CentreBinding, centreDb, givenCentreIn, givenPartnerIn } from "./split-helpers.js";
import { deliver, message, signWithReference, statusChanged } from "./webhooks-helpers.js";

const BINDINGS: CentreBinding[] = ["CENTRE_A", "CENTRE_B", "CENTRE_C"];

/** Where rows matching `where` are, by database: the directory (`DB`) and each centre database. */
async function whereIs(find: (database: Db) => Promise<unknown[]>): Promise<Record<string, number>> {
  const found: Record<string, number> = { DB: (await find(db)).length };
  for (const binding of BINDINGS) found[binding] = (await find(centreDb(binding))).length;
  return found;
}

const only = (binding: string, count = 1) =>
  Object.fromEntries(["DB", ...BINDINGS].map((name) => [name, name === binding ? count : 0]));

/** A service run by the partner, written into the centre's own database (services live there). */
async function givenServiceIn(binding: CentreBinding, centreId: string, partnerId: string): Promise<string> {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  const schedule: Schedule = { timeZone: "Europe/Paris", weekly: [], exceptions: [] };
  await centreDb(binding)
    .insert(services)
    .values({
      id,
      centreId,
      organizationId: partnerId,
      name: "Douches",
      category: "hygiene",
      status: "active",
      languages: ["fr"],
      schedule,
      translations: {},
      ticketQueue: false,
      createdAt: at,
      updatedAt: at,
    });
  return id;
}

/** Two centres on their own databases, each with a partner, its token and a coordinator bound to it. */
async function givenTwoCentres() {
  const a = await givenCentreIn("CENTRE_A");
  const b = await givenCentreIn("CENTRE_B");
  const partnerA = await givenPartnerIn("CENTRE_A", a, "Samu social");
  const partnerB = await givenPartnerIn("CENTRE_B", b, "Aurore");
  return {
    a,
    b,
    partnerA,
    partnerB,
    coordinatorA: await signedIn("coordinator", { centreId: a }),
    coordinatorB: await signedIn("coordinator", { centreId: b }),
    tokenA: await partnerToken(a, partnerA),
    tokenB: await partnerToken(b, partnerB),
  };
}

async function sentReferral(as: Caller, centreId: string, partnerId: string, extra: object = {}) {
  const created = await api("POST", "/api/referrals", {
    as,
    body: {
      centreId,
      partnerId,
      need: "accommodation",
      send: true,
      note: "Arrived last night",
      contact: { name: "Ahmad K.", phone: "+33 6 12 34 56 78" },
      consent: {
        givenAt: new Date().toISOString(),
        method: "verbal",
        scopes: ["store_contact", "share_with_partner"],
      },
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function webhookSecret(partnerId: string): Promise<string> {
  const admin = await signedIn("admin");
  const created = await api("POST", `/api/partners/${partnerId}/webhook-secrets`, { as: admin, body: {} });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.secret;
}

/** A signed service-use report through the Worker's handler, counting round trips on DB and CENTRE_A. */
async function countedReport(partnerId: string, secret: string, serviceId: string) {
  const directory = { roundTrips: 0 };
  const centre = { roundTrips: 0 };
  const at = new Date().toISOString();
  const m = message({
    type: "service_use.reported",
    timestamp: at,
    data: { serviceId, usedAt: at, quantity: 1, occurredAt: at },
  });
  // Both databases counted: the directory (DB) and the centre's own (CENTRE_A).
  const bindings = { DB: countingD1(env.DB, directory), CENTRE_A: countingD1(env.CENTRE_A, centre) };
  const answer = await callHandler("POST", `/api/webhooks/partners/${partnerId}`, {
    body: m.body,
    headers: {
      "webhook-id": m.id,
      "webhook-timestamp": String(m.timestamp),
      "webhook-signature": signWithReference(secret, m),
    },
    bindings,
  });
  return {
    status: answer.status,
    body: answer.body as { serviceUseId: string },
    roundTrips: { directory: directory.roundTrips, centre: centre.roundTrips },
  };
}

/** A secret and an endpoint for the partner (directory rows), so referral changes are announced to it. */
async function givenListeningPartner(partnerId: string): Promise<void> {
  await webhookSecret(partnerId);
  const endpoint = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
    as: await signedIn("admin"),
    body: { url: "https://partner.example/halte" },
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
}

describe("partners with one database per centre", () => {
  it("writes a new, edited and archived partner into the directory and its copy into its centre's database only", async () => {
    const a = await givenCentreIn("CENTRE_A");
    await givenCentreIn("CENTRE_B");
    const coordinator = await signedIn("coordinator", { centreId: a });
    const created = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId: a, name: "France terre d'asile", roles: ["referral_destination"] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const rows = (database: Db) => database.select().from(partners).where(eq(partners.id, id));
    expect(await whereIs(rows)).toEqual({ DB: 1, CENTRE_A: 1, CENTRE_B: 0, CENTRE_C: 0 });

    const updated = await api("PUT", `/api/partners/${id}`, {
      as: coordinator,
      body: {
        name: "France terre d'asile (Paris)",
        roles: ["referral_destination"],
        phone: "+33 1 00 00 00",
      },
    });
    expect(updated.status).toBe(200);
    const [copy] = await rows(centreDb("CENTRE_A"));
    expect(copy).toMatchObject({ name: "France terre d'asile (Paris)", phone: "+33 1 00 00 00" });

    const archived = await api("POST", `/api/partners/${id}/archive`, { as: coordinator });
    expect(archived.status).toBe(200);
    const [directoryRow] = await rows(db);
    const [archivedCopy] = await rows(centreDb("CENTRE_A"));
    expect(directoryRow?.archivedAt).not.toBeNull();
    expect(archivedCopy).toEqual(directoryRow);
    // The partner's audit rows are the directory's, where the partner is.
    const audit = (database: Db) => database.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(await whereIs(audit)).toEqual({ DB: 3, CENTRE_A: 0, CENTRE_B: 0, CENTRE_C: 0 });

    // An archived partner can no longer be named by a referral of its centre.
    const refused = await api("POST", "/api/referrals", {
      as: coordinator,
      body: { centreId: a, partnerId: id, need: "legal" },
    });
    expect(refused.status).toBe(422);
  });

  it("keeps another centre's partners out of reach", async () => {
    const { partnerA, coordinatorB, tokenB } = await givenTwoCentres();
    expect((await api("GET", `/api/partners/${partnerA}`, { as: coordinatorB })).status).toBe(404);
    expect((await api("GET", `/api/partners/${partnerA}`, { as: tokenB })).status).toBe(404);
    const edit = await api("PUT", `/api/partners/${partnerA}`, {
      as: coordinatorB,
      body: { name: "Taken over", roles: ["referral_destination"] },
    });
    expect(edit.status).toBe(404);
    const [copy] = await centreDb("CENTRE_A").select().from(partners).where(eq(partners.id, partnerA));
    expect(copy?.name).toBe("Samu social");
  });
});

describe("writes that touch the directory and a centre's database", () => {
  /** The directory, made to fail every batch whose SQL has `needle` (D1 rolls that batch back). */
  const failing = (needle: string) => ({
    DB: countingD1(env.DB, { roundTrips: 0 }, async (sql) => {
      if (sql.some((statement) => statement.includes(needle))) throw new Error("injected directory failure");
    }),
  });

  it("serves a partner as it was when the directory's write fails after the copy, and converges on retry", async () => {
    const { partnerA, coordinatorA } = await givenTwoCentres();
    const edit = { name: "Samu social de Paris", roles: ["referral_destination"] };
    const failed = await callHandler("PUT", `/api/partners/${partnerA}`, {
      as: coordinatorA,
      body: JSON.stringify(edit),
      bindings: failing('update "partners"'),
    });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const served = await api("GET", `/api/partners/${partnerA}`, { as: coordinatorA });
    expect(served.body.name).toBe("Samu social");

    const retried = await api("PUT", `/api/partners/${partnerA}`, { as: coordinatorA, body: edit });
    expect(retried.status).toBe(200);
    const rows = (d: Db) => d.select().from(partners).where(eq(partners.id, partnerA));
    const [directoryRow] = await rows(db);
    const [copy] = await rows(centreDb("CENTRE_A"));
    expect(directoryRow?.name).toBe("Samu social de Paris");
    expect(copy).toEqual(directoryRow);
  });

  it("keeps a referral whose deliveries the directory could not record, and announces nothing", async () => {
    const { a, partnerA, coordinatorA } = await givenTwoCentres();
    await givenListeningPartner(partnerA);
    const created = await callHandler("POST", "/api/referrals", {
      as: coordinatorA,
      body: JSON.stringify({
        centreId: a,
        partnerId: partnerA,
        need: "legal",
        send: true,
        consent: { givenAt: new Date().toISOString(), method: "verbal", scopes: ["share_with_partner"] },
      }),
      bindings: failing('"webhook_deliveries"'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = (created.body as { id: string }).id;
    const read = await api("GET", `/api/referrals/${id}`, { as: coordinatorA });
    expect(read.body).toMatchObject({ id, status: "requested" });
    const deliveries = (d: Db) =>
      d.select().from(webhookDeliveries).where(eq(webhookDeliveries.referralId, id));
    expect(await whereIs(deliveries)).toEqual(only("DB", 0));
  });
});

describe("referrals with one database per centre", () => {
  it("creates, reads, moves, acknowledges, withdraws and erases a referral in its centre's database only", async () => {
    const { a, partnerA, coordinatorA, tokenA } = await givenTwoCentres();
    const id = await sentReferral(coordinatorA, a, partnerA);
    const referral = (d: Db) => d.select().from(referrals).where(eq(referrals.id, id));
    const consent = (d: Db) => d.select().from(consents).where(eq(consents.referralId, id));
    const history = (d: Db) => d.select().from(referralHistory).where(eq(referralHistory.referralId, id));
    expect(await whereIs(referral)).toEqual(only("CENTRE_A"));
    expect(await whereIs(consent)).toEqual(only("CENTRE_A"));
    expect(await whereIs(history)).toEqual(only("CENTRE_A"));

    // The partner sees it (with the details its consent covers) and moves it on.
    const seen = await api("GET", `/api/referrals/${id}`, { as: tokenA });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: "requested", note: "Arrived last night", hasContact: true });
    const ack = await api("POST", `/api/referrals/${id}/acknowledge`, { as: tokenA });
    expect(ack.status).toBe(200);
    const acknowledgement = (d: Db) =>
      d.select().from(referralAcknowledgements).where(eq(referralAcknowledgements.referralId, id));
    expect(await whereIs(acknowledgement)).toEqual(only("CENTRE_A"));
    const accepted = await api("POST", `/api/referrals/${id}/status`, {
      as: tokenA,
      body: { status: "accepted", note: "Bed at 19:00" },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe("accepted");
    const timeline = await api("GET", `/api/referrals/${id}/history`, { as: coordinatorA });
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((e: { to: string }) => e.to)).toEqual(["requested", "accepted"]);

    const withdrawn = await api("POST", `/api/referrals/${id}/consent/withdraw`, {
      as: coordinatorA,
      body: { method: "verbal" },
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const partnerView = await api("GET", `/api/referrals/${id}`, { as: tokenA });
    expect(partnerView.body).toMatchObject({ note: null, contact: null });
    const erased = await api("POST", `/api/referrals/${id}/erase`, { as: coordinatorA });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ note: null, statusNote: null, status: "accepted" });
    expect(erased.body.erasedAt).not.toBeNull();
    const [stored] = await centreDb("CENTRE_A").select().from(referrals).where(eq(referrals.id, id));
    expect(stored).toMatchObject({ status: "accepted", note: null, contact: null });

    // Every audit row of it (create, acknowledge, status, withdrawal, erasure) sits beside it.
    const audit = (d: Db) => d.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(await whereIs(audit)).toEqual(only("CENTRE_A", 5));
  });

  it("gives a partner token, a partner user and a coordinator of centre A the single layout's 404 on centre B's referral", async () => {
    const { a, b, partnerA, partnerB, coordinatorA, coordinatorB, tokenA } = await givenTwoCentres();
    const ofB = await sentReferral(coordinatorB, b, partnerB);
    const partnerUserA = await signedIn("partner", { centreId: a, partnerId: partnerA });
    for (const as of [tokenA, partnerUserA, coordinatorA]) {
      expect((await api("GET", `/api/referrals/${ofB}`, { as })).status).toBe(404);
      expect((await api("GET", `/api/referrals/${ofB}/history`, { as })).status).toBe(404);
    }
    for (const as of [tokenA, partnerUserA]) {
      expect((await api("POST", `/api/referrals/${ofB}/acknowledge`, { as })).status).toBe(404);
      const moved = await api("POST", `/api/referrals/${ofB}/status`, { as, body: { status: "accepted" } });
      expect(moved.status).toBe(404);
    }
    const cancelled = await api("POST", `/api/referrals/${ofB}/status`, {
      as: coordinatorA,
      body: { status: "cancelled" },
    });
    expect(cancelled.status).toBe(404);
    expect((await api("POST", `/api/referrals/${ofB}/erase`, { as: coordinatorA })).status).toBe(404);
    const listed = await api("GET", "/api/referrals?limit=100", { as: tokenA });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).not.toContain(ofB);
    const named = await api("GET", `/api/referrals?centreId=${b}`, { as: coordinatorA });
    expect(named.status).toBe(403);
    const [untouched] = await centreDb("CENTRE_B").select().from(referrals).where(eq(referrals.id, ofB));
    expect(untouched).toMatchObject({ status: "requested", erasedAt: null });
  });

  it("lists referrals of every centre newest first for a coordinator of all centres, the cursor losing and repeating none", async () => {
    const { a, b, partnerA, partnerB, coordinatorA, coordinatorB } = await givenTwoCentres();
    const made: string[] = [];
    for (const [as, centreId, partnerId] of [
      [coordinatorA, a, partnerA],
      [coordinatorB, b, partnerB],
      [coordinatorB, b, partnerB],
      [coordinatorA, a, partnerA],
      [coordinatorA, a, partnerA],
      [coordinatorB, b, partnerB],
      [coordinatorA, a, partnerA],
    ] as const) {
      made.push(await sentReferral(as, centreId, partnerId, { need: "health" }));
    }
    const everywhere = await signedIn("coordinator");
    const seen: Array<{ id: string; createdAt: string; centreId: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/api/referrals?need=health&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await api("GET", path, { as: everywhere });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 50);
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const ours = ids.filter((id) => made.includes(id));
    expect(ours).toEqual([...made].reverse());
    const keys = seen.map((r) => `${r.createdAt}|${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(seen.filter((r) => made.includes(r.id)).map((r) => r.centreId))).toEqual(new Set([a, b]));
  });
});

describe("partner webhooks with one database per centre", () => {
  it("writes a signed service-use report of a partner of A into CENTRE_A only, once per webhook-id", async () => {
    const { a, partnerA } = await givenTwoCentres();
    const shower = await givenServiceIn("CENTRE_A", a, partnerA);
    const secret = await webhookSecret(partnerA);
    const report = message({
      type: "service_use.reported",
      timestamp: new Date().toISOString(),
      data: {
        serviceId: shower,
        usedAt: new Date().toISOString(),
        quantity: 4,
        occurredAt: new Date().toISOString(),
      },
    });
    const answer = await deliver(partnerA, secret, report);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const useId = answer.body.serviceUseId as string;
    const uses = (database: Db) => database.select().from(serviceUses).where(eq(serviceUses.id, useId));
    expect(await whereIs(uses)).toEqual(only("CENTRE_A"));
    const receipts = (database: Db) =>
      database.select().from(inboundWebhooks).where(eq(inboundWebhooks.webhookId, report.id));
    expect(await whereIs(receipts)).toEqual(only("CENTRE_A"));
    const audit = (database: Db) => database.select().from(auditLog).where(eq(auditLog.entityId, useId));
    expect(await whereIs(audit)).toEqual(only("CENTRE_A"));

    const again = await deliver(partnerA, secret, report);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answer.body);
    const byPartner = (database: Db) =>
      database.select().from(serviceUses).where(eq(serviceUses.partnerId, partnerA));
    expect(await whereIs(byPartner)).toEqual(only("CENTRE_A"));
  });

  it("applies a partner's signed status change and capacity report in its centre's database, and refuses another centre's referral", async () => {
    const { a, b, partnerA, partnerB, coordinatorA, coordinatorB } = await givenTwoCentres();
    const shower = await givenServiceIn("CENTRE_A", a, partnerA);
    const secret = await webhookSecret(partnerA);
    const ofA = await sentReferral(coordinatorA, a, partnerA);
    const ofB = await sentReferral(coordinatorB, b, partnerB);

    const accepted = await deliver(partnerA, secret, message(statusChanged(ofA, "accepted", new Date())));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.referral).toMatchObject({ id: ofA, status: "accepted" });
    const [stored] = await centreDb("CENTRE_A").select().from(referrals).where(eq(referrals.id, ofA));
    expect(stored?.status).toBe("accepted");
    const changes = (database: Db) =>
      database.select().from(inboundWebhooks).where(eq(inboundWebhooks.referralId, ofA));
    expect(await whereIs(changes)).toEqual(only("CENTRE_A"));

    const foreign = await deliver(
      partnerA,
      secret,
      message(statusChanged(ofB, "rejected", new Date(), { reason: "other" })),
    );
    expect(foreign.status).toBe(404);
    const [untouched] = await centreDb("CENTRE_B").select().from(referrals).where(eq(referrals.id, ofB));
    expect(untouched?.status).toBe("requested");

    const capacity = await deliver(
      partnerA,
      secret,
      message({
        type: "service.capacity_changed",
        timestamp: new Date().toISOString(),
        data: { serviceId: shower, day: "2026-12-08", available: 3, occurredAt: new Date().toISOString() },
      }),
    );
    expect(capacity.status, JSON.stringify(capacity.body)).toBe(200);
    const reports = (database: Db) =>
      database.select().from(serviceCapacityReports).where(eq(serviceCapacityReports.serviceId, shower));
    expect(await whereIs(reports)).toEqual(only("CENTRE_A"));
  });

  it("counts the round trips of a signed report on the directory and on the centre's database", async () => {
    const { a, partnerA } = await givenTwoCentres();
    const shower = await givenServiceIn("CENTRE_A", a, partnerA);
    const secret = await webhookSecret(partnerA);
    const first = await countedReport(partnerA, secret, shower);
    const granting = await countedReport(partnerA, secret, shower);
    const steady = await countedReport(partnerA, secret, shower);
    // The first message of the partner in an isolate: the partner, its centre's binding and its secrets in
    // the directory (one batch), its earlier answer and services in the centre's database (one batch), the
    // write there (one batch). With its keys held, the next finds no grant for the secret in the centre's
    // database (nothing written), checks the secret in the directory, then writes with the grant. From then
    // on, one round trip, in the centre's database alone.
    expect(first.roundTrips).toEqual({ directory: 1, centre: 2 });
    expect(granting.roundTrips).toEqual({ directory: 1, centre: 2 });
    expect(steady.roundTrips).toEqual({ directory: 0, centre: 1 });
    expect(steady.status).toBe(200);
    const grants = await centreDb("CENTRE_A")
      .select()
      .from(credentialGrants)
      .where(eq(credentialGrants.actorId, partnerA));
    // Hashes only: the secret's id and the SHA-256 of its stored ciphertext, never the secret.
    expect(grants).toMatchObject([
      { kind: "webhook", centreId: a, proofHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(JSON.stringify(grants)).not.toContain(secret);
    const uses = await centreDb("CENTRE_A")
      .select()
      .from(serviceUses)
      .where(eq(serviceUses.partnerId, partnerA));
    expect(uses).toHaveLength(3);
    const audit = (d: Db) => d.select().from(auditLog).where(eq(auditLog.entityId, steady.body.serviceUseId));
    expect(await whereIs(audit)).toEqual(only("CENTRE_A"));
  });

  it("never writes with a secret revoked, or for a partner archived, between two messages of the same isolate", async () => {
    const { a, partnerA } = await givenTwoCentres();
    const shower = await givenServiceIn("CENTRE_A", a, partnerA);
    const admin = await signedIn("admin");
    const created = await api("POST", `/api/partners/${partnerA}/webhook-secrets`, { as: admin, body: {} });
    expect((await countedReport(partnerA, created.body.secret, shower)).status).toBe(200);
    // The second message writes the secret's grant in CENTRE_A; the third is checked by it alone.
    expect((await countedReport(partnerA, created.body.secret, shower)).status).toBe(200);
    expect((await countedReport(partnerA, created.body.secret, shower)).roundTrips).toEqual({
      directory: 0,
      centre: 1,
    });
    const revoked = await api("POST", `/api/webhook-secrets/${created.body.id}/revoke`, { as: admin });
    expect(revoked.status).toBe(200);
    const grantsOf = () =>
      centreDb("CENTRE_A").select().from(credentialGrants).where(eq(credentialGrants.actorId, partnerA));
    expect(await grantsOf()).toEqual([]);
    expect((await countedReport(partnerA, created.body.secret, shower)).status).toBe(401);

    const fresh = await webhookSecret(partnerA);
    expect((await countedReport(partnerA, fresh, shower)).status).toBe(200);
    // Within a minute of the revocation's fence no grant is written: the reports take the directory's check.
    expect((await countedReport(partnerA, fresh, shower)).roundTrips).toEqual({ directory: 1, centre: 2 });
    expect(await grantsOf()).toEqual([]);
    expect((await api("POST", `/api/partners/${partnerA}/archive`, { as: admin })).status).toBe(200);
    expect((await countedReport(partnerA, fresh, shower)).status).toBe(404);
    const uses = await centreDb("CENTRE_A")
      .select()
      .from(serviceUses)
      .where(eq(serviceUses.partnerId, partnerA));
    expect(uses).toHaveLength(5);
  });
});

describe("outbound deliveries with one database per centre", () => {
  it("keeps the delivery of a centre-A referral in the directory and sends it from there", async () => {
    const { a, partnerA, coordinatorA } = await givenTwoCentres();
    await givenListeningPartner(partnerA);
    const id = await sentReferral(coordinatorA, a, partnerA);
    const deliveries = (database: Db) =>
      database.select().from(webhookDeliveries).where(eq(webhookDeliveries.referralId, id));
    expect(await whereIs(deliveries)).toEqual(only("DB"));
    const [delivery] = await deliveries(db);
    expect(delivery).toMatchObject({ centreId: a, status: "pending" });

    const received: unknown[] = [];
    const batch = createMessageBatch<OutboundWebhookMessage>("halte-webhooks", [
      {
        id: `m-${delivery?.id}`,
        timestamp: new Date(),
        attempts: 1,
        body: { deliveryId: delivery?.id ?? "" },
      },
    ]);
    const ctx = createExecutionContext();
    await consumeWebhookQueue(batch, env, {
      fetch: async (request) => {
        received.push(await request.json());
        return new Response(null, { status: 204 });
      },
      now: () => new Date(),
    });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
    expect(received).toMatchObject([
      { type: "referral.status_changed", data: { referralId: id, centreId: a } },
    ]);
    const [sent] = await deliveries(db);
    expect(sent?.status).toBe("delivered");
  });
});
