import { Databases } from "../src/databases.js";
// The retention purge: personal data past the centre's retention goes, everything else — and every
// figure — stays; a dry run counts exactly what the real run then removes and changes nothing.

import { env } from "cloudflare:workers";
import {
  localDateOf,
  parseVisitAggregate,
  uniqueVisitorsByGroup,
  uniqueVisitorsCellKey,
  type VisitAggregate,
  zonedDateTime,
} from "@halte/core";
import {
  apiTokens,
  auditLog,
  consents,
  countFeedbackPastRetention,
  feedback,
  inboundWebhooks,
  insertFeedback,
  insertVisits,
  jobRuns,
  type NewVisitRow,
  referralHistory,
  referrals,
  sessions,
  visitRollups,
  visits,
} from "@halte/db";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { PURGE_JOB, type PurgeScope, runPurge } from "../src/jobs/purge.js";
import { runRollupEverywhere, SETTLE_MS } from "../src/jobs/rollup.js";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { deliver, givenWebhookPartner, message, statusChanged } from "./webhooks-helpers.js";

const monthsAgo = (months: number) => {
  const at = new Date();
  at.setUTCMonth(at.getUTCMonth() - months);
  return at.toISOString();
};

async function givenVisit(centreId: string, arrivedAt: string, code: string | null) {
  const row: NewVisitRow = {
    id: uuidv7(new Date()),
    centreId,
    arrivedAt,
    localDay: localDateOf(arrivedAt, "Europe/Paris"),
    localHour: zonedDateTime(arrivedAt, "Europe/Paris").hour,
    visitorCodeHash: code,
    ageBand: null,
    gender: null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    recordedBy: null,
  };
  for (const statement of insertVisits(db, [row], new Date().toISOString(), false)) await statement;
  return row.id;
}

async function closedReferral(centreId: string, partnerId: string, closedMonthsAgo: number) {
  const coordinator = await signedIn("coordinator", { centreId });
  const created = await api("POST", "/api/referrals", {
    as: coordinator,
    body: {
      centreId,
      partnerId,
      need: "legal",
      contact: { name: "Ahmad K.", phone: "+33 6 12 34 56 78" },
      consent: { givenAt: monthsAgo(closedMonthsAgo + 1), method: "verbal", scopes: ["store_contact"] },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await db
    .update(referrals)
    .set({ status: "completed", closedAt: monthsAgo(closedMonthsAgo), statusNote: "Vu par l'avocate" })
    .where(eq(referrals.id, created.body.id));
  return created.body.id as string;
}

const purge = (dryRun: boolean, as?: Caller) =>
  api("POST", "/api/jobs/retention-purge", { as, body: { dryRun } });

describe("the retention purge", () => {
  it("clears what is past retention, keeps the rest and every figure, and a dry run predicts it", async () => {
    const centreId = await givenCentre({ retentionMonths: 24 });
    const partnerId = await givenPartner(centreId);
    const gone = "a".repeat(64); // last seen 25 months ago
    const kept = "b".repeat(64); // seen 30 months ago, and again last month: still in contact
    const goneVisits = [
      await givenVisit(centreId, monthsAgo(30), gone),
      await givenVisit(centreId, monthsAgo(25), gone),
    ];
    const keptVisits = [
      await givenVisit(centreId, monthsAgo(30), kept),
      await givenVisit(centreId, monthsAgo(1), kept),
    ];
    const oldReferral = await closedReferral(centreId, partnerId, 25);
    const recentReferral = await closedReferral(centreId, partnerId, 2);
    const expired = await signedIn("observer", { centreId });
    await db
      .update(sessions)
      .set({ expiresAt: monthsAgo(1) })
      .where(eq(sessions.userId, expired.userId));
    const oldToken = await partnerToken(centreId, partnerId);
    await db
      .update(apiTokens)
      .set({ revokedAt: monthsAgo(3) })
      .where(eq(apiTokens.id, oldToken.userId));
    const liveToken = await partnerToken(centreId, partnerId);

    // The figures as the roll-up keeps them, before anything is purged.
    await runRollupEverywhere({
      dbs: new Databases(env),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    const rollupsBefore = await db
      .select()
      .from(visitRollups)
      .where(eq(visitRollups.centreId, centreId))
      .orderBy(asc(visitRollups.localDay));
    expect(rollupsBefore.length).toBeGreaterThan(0);

    const admin = await signedIn("admin");
    const dry = await purge(true, admin);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      visitorCodes: 2,
      referralContacts: 1,
      consents: 1,
      // The days 30 and 25 months ago; last month's day keeps its codes.
      dayPartials: 2,
    });
    expect(dry.body.sessions).toBeGreaterThanOrEqual(1);
    expect(dry.body.apiTokens).toBeGreaterThanOrEqual(1);
    // Nothing changed in the dry run.
    const [stillThere] = await db
      .select()
      .from(visits)
      .where(eq(visits.id, goneVisits[0] as string));
    expect(stillThere?.visitorCodeHash).toBe(gone);

    const real = await purge(false, admin);
    expect(real.status).toBe(200);
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);

    for (const id of goneVisits) {
      const [row] = await db.select().from(visits).where(eq(visits.id, id));
      expect(row?.visitorCodeHash).toBeNull();
    }
    for (const id of keptVisits) {
      const [row] = await db.select().from(visits).where(eq(visits.id, id));
      expect(row?.visitorCodeHash).toBe(kept);
    }
    const [old] = await db.select().from(referrals).where(eq(referrals.id, oldReferral));
    expect(old).toMatchObject({ contact: null, statusNote: null, status: "completed" });
    expect(await db.select().from(consents).where(eq(consents.referralId, oldReferral))).toHaveLength(0);
    const [recent] = await db.select().from(referrals).where(eq(referrals.id, recentReferral));
    expect(recent?.contact).toMatchObject({ name: "Ahmad K." });
    expect(await db.select().from(consents).where(eq(consents.referralId, recentReferral))).toHaveLength(1);
    expect(await db.select().from(sessions).where(eq(sessions.userId, expired.userId))).toHaveLength(0);
    expect(await db.select().from(apiTokens).where(eq(apiTokens.id, oldToken.userId))).toHaveLength(0);
    expect(await db.select().from(apiTokens).where(eq(apiTokens.id, liveToken.userId))).toHaveLength(1);

    // Aggregates stay: the next roll-up finds nothing to re-roll; the old days lost their visitor-code
    // prefixes and nothing else, last month's day is byte-identical.
    const rerun = await runRollupEverywhere({
      dbs: new Databases(env),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    expect(rerun.daysRolled).toBe(0);
    const rollupsAfter = await db
      .select()
      .from(visitRollups)
      .where(eq(visitRollups.centreId, centreId))
      .orderBy(asc(visitRollups.localDay));
    const partial = (json: string): VisitAggregate => {
      const parsed = parseVisitAggregate(json);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.value;
    };
    expect(rollupsAfter.map((row) => row.localDay)).toEqual(rollupsBefore.map((row) => row.localDay));
    const [day30, day25, lastMonth] = rollupsAfter.map((row) => partial(row.aggregate));
    const [day30Before, day25Before] = rollupsBefore.map((row) => partial(row.aggregate));
    // Every figure stays, and so does every cell key: the visitors' keys move into `anonymisedVisitors`, so
    // unique visitors keep the key they are perturbed with.
    const withoutVisitorKeys = (day: VisitAggregate | undefined) => ({
      ...day,
      visitorGroups: undefined,
      anonymisedGroups: undefined,
      keys: { ...day?.keys, anonymisedVisitors: 0 },
    });
    expect(withoutVisitorKeys(day30)).toEqual(
      withoutVisitorKeys({ ...(day30Before as VisitAggregate), visitorCodes: [], anonymisedVisitors: 2 }),
    );
    expect(day30?.uniqueVisitors).toBe(2);
    expect(uniqueVisitorsCellKey(day30 as VisitAggregate)).toBe(
      uniqueVisitorsCellKey(day30Before as VisitAggregate),
    );
    // Unique visitors by age band, gender and language survive too, with their keys.
    expect(uniqueVisitorsByGroup(day30 as VisitAggregate)).toEqual(
      uniqueVisitorsByGroup(day30Before as VisitAggregate),
    );
    expect(withoutVisitorKeys(day25)).toEqual(
      withoutVisitorKeys({ ...(day25Before as VisitAggregate), visitorCodes: [], anonymisedVisitors: 1 }),
    );
    expect(uniqueVisitorsCellKey(day25 as VisitAggregate)).toBe(
      uniqueVisitorsCellKey(day25Before as VisitAggregate),
    );
    expect(lastMonth?.visitorCodes).toHaveLength(1);
    expect(rollupsAfter[2]?.aggregate).toBe(rollupsBefore[2]?.aggregate);

    // Those days are frozen: a rebuild of their month leaves them as they are (their rows no longer hold
    // the codes that made them exact), and a late visit filed under one of them does not re-roll it.
    const oldMonth = rollupsAfter[0]?.localDay.slice(0, 7) as string;
    const rebuilt = await api("POST", "/api/jobs/rebuild", {
      as: admin,
      body: { centreId, month: oldMonth },
    });
    expect(rebuilt.status, JSON.stringify(rebuilt.body)).toBe(200);
    expect(rebuilt.body).toMatchObject({ daysRolled: 0, daysFrozen: 1 });
    await givenVisit(centreId, monthsAgo(30), null);
    const late = await runRollupEverywhere({
      dbs: new Databases(env),
      now: new Date(Date.now() + SETTLE_MS),
      newId: () => uuidv7(new Date()),
    });
    expect(late.daysRolled).toBe(0);
    const [frozen] = await db
      .select()
      .from(visitRollups)
      .where(eq(visitRollups.localDay, rollupsAfter[0]?.localDay as string));
    expect(frozen?.aggregate).toBe(rollupsAfter[0]?.aggregate);

    // A second purge finds nothing left of this centre's, and both runs are recorded as counts.
    const again = await purge(true, admin);
    expect(again.body).toMatchObject({ visitorCodes: 0, referralContacts: 0, consents: 0, dayPartials: 0 });
    const runs = await api("GET", "/api/jobs/runs", { as: admin });
    expect(runs.status).toBe(200);
    expect(runs.body.purge.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(runs.body)).not.toContain("Ahmad");
    const logged = await db.select().from(jobRuns).where(eq(jobRuns.job, PURGE_JOB));
    expect(logged.some((run) => run.watermarkFrom === "purge")).toBe(true);
  });

  it("clears a closed referral's free text everywhere: its notes, its history's, partners' messages and the audit log's copies", async () => {
    const { centreId, partnerId, secret } = await givenWebhookPartner();
    const coordinator = await signedIn("coordinator", { centreId });
    const token = await partnerToken(centreId, partnerId);
    const secrets = [
      "Ahmad sleeps at Gare du Nord",
      "Seen by Dr Haddad",
      "SAMU-ahmad-118",
      "Ahmad left for Lyon",
    ];
    const created = await api("POST", "/api/referrals", {
      as: coordinator,
      body: {
        centreId,
        partnerId,
        need: "health",
        note: secrets[0],
        contact: { name: "Ahmad K." },
        consent: { givenAt: monthsAgo(27), method: "verbal", scopes: ["store_contact"] },
        send: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const accepted = await api("POST", `/api/referrals/${id}/status`, {
      as: token,
      body: { status: "accepted", note: secrets[1], partnerReference: secrets[2] },
    });
    expect(accepted.status).toBe(200);
    // The partner's system says the rest through a signed webhook, with a note of its own.
    const started = await deliver(partnerId, secret, message(statusChanged(id, "in-progress", new Date())));
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const failed = await deliver(
      partnerId,
      secret,
      message(statusChanged(id, "failed", new Date(), { reason: "unreachable", note: secrets[3] })),
    );
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    // An audit row written before audit diffs were redacted, holding the note in clear.
    await db.insert(auditLog).values({
      centreId,
      actorType: "user",
      actorId: coordinator.userId,
      action: "update_status",
      entity: "referral",
      entityId: id,
      diff: { before: { statusNote: null }, after: { statusNote: secrets[1], note: secrets[0] } },
      at: monthsAgo(26),
    });
    await db
      .update(referrals)
      .set({ closedAt: monthsAgo(25) })
      .where(eq(referrals.id, id));

    const admin = await signedIn("admin");
    const dry = await purge(true, admin);
    expect(dry.body.referralContacts).toBeGreaterThanOrEqual(1);
    expect(dry.body.historyNotes).toBeGreaterThanOrEqual(3);
    const real = await purge(false, admin);
    expect(real.status).toBe(200);

    const stored = JSON.stringify([
      await db.select().from(referrals).where(eq(referrals.id, id)),
      await db.select().from(referralHistory).where(eq(referralHistory.referralId, id)),
      await db.select().from(inboundWebhooks).where(eq(inboundWebhooks.referralId, id)),
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entity, "referral"), eq(auditLog.entityId, id))),
    ]);
    for (const text of [...secrets, "Ahmad", "Haddad"]) expect(stored).not.toContain(text);
    const [row] = await db.select().from(referrals).where(eq(referrals.id, id));
    expect(row).toMatchObject({
      note: null,
      statusNote: null,
      partnerReference: null,
      contact: null,
      status: "failed",
    });
    // The timeline keeps its steps, without their notes; the figures keep the referral.
    const history = await db.select().from(referralHistory).where(eq(referralHistory.referralId, id));
    expect(history.map((h) => h.toStatus)).toEqual(["requested", "accepted", "in-progress", "failed"]);
    expect(history.every((h) => h.note === null)).toBe(true);
    const again = await purge(true, admin);
    expect(again.body).toMatchObject({ referralContacts: 0, historyNotes: 0 });
  });

  it("per centre, as the nightly queue runs it: one centre's records only, and the shared tables apart", async () => {
    const [first, second] = [await givenCentre(), await givenCentre()];
    const firstVisit = await givenVisit(first, monthsAgo(30), "e".repeat(64));
    const secondVisit = await givenVisit(second, monthsAgo(30), "f".repeat(64));
    const expired = await signedIn("observer", { centreId: first });
    await db
      .update(sessions)
      .set({ expiresAt: monthsAgo(1) })
      .where(eq(sessions.userId, expired.userId));
    const run = (scope: PurgeScope) =>
      runPurge({ db, d1: env.DB, now: new Date(), newId: () => uuidv7(new Date()), dryRun: false, scope });
    const codeOf = async (id: string) =>
      (await db.select().from(visits).where(eq(visits.id, id)))[0]?.visitorCodeHash;
    const sessionsLeft = async () =>
      (await db.select().from(sessions).where(eq(sessions.userId, expired.userId))).length;

    expect(await run({ centreId: first })).toMatchObject({ visitorCodes: 1, sessions: 0, apiTokens: 0 });
    expect(await codeOf(firstVisit)).toBeNull();
    expect(await codeOf(secondVisit)).toBe("f".repeat(64)); // the other centre's, untouched
    expect(await sessionsLeft()).toBe(1); // no centre's run touches the shared tables

    expect(await run("shared")).toMatchObject({ visitorCodes: 0, sessions: 1 });
    expect(await sessionsLeft()).toBe(0);
    expect(await codeOf(secondVisit)).toBe("f".repeat(64));
    const recorded = await db.select().from(jobRuns).where(eq(jobRuns.job, PURGE_JOB));
    expect(recorded.filter((r) => r.centreId === first)).toHaveLength(1);
  });

  it("clears the text of feedback received before the centre's retention, and nothing else of it", async () => {
    const admin = await signedIn("admin");
    // Whatever earlier tests left past retention goes first, so the counts below are this test's own.
    expect((await purge(false, admin)).status).toBe(200);
    const centreId = await givenCentre({ retentionMonths: 24 });
    const otherCentre = await givenCentre({ retentionMonths: 36 });
    const words = (text: string) => ({ text, language: "fr" as const, website: "", fillSeconds: 20 });
    const given = async (centre: string, text: string, receivedMonthsAgo: number) => {
      const id = uuidv7(new Date());
      await insertFeedback(db, id, centre, words(text), monthsAgo(receivedMonthsAgo));
      return id;
    };
    const oldCited = await given(centreId, "Ahmad attend la douche depuis deux heures", 25);
    const oldPending = await given(centreId, "Mon numéro est le 06 12 34 56 78", 26);
    const recent = await given(centreId, "Le café est bon", 1);
    // 30 months old, but the other centre keeps 36 months.
    const otherCentres = await given(otherCentre, "Fatima voudrait des cours de français", 30);
    const coordinator = await signedIn("coordinator", { centreId });
    const approved = await api("POST", `/api/feedback/${oldCited}/moderation`, {
      as: coordinator,
      body: { status: "approved" },
    });
    expect(approved.status).toBe(200);
    const lessonBody = {
      centreId,
      type: "recommendation",
      theme: "support_to_needs",
      title: "Longer shower hours",
      statement: { context: "a", situation: "b", result: "c", cause: "d", recommendation: "e" },
      evidence: [
        { kind: "feedback", reference: oldCited, description: "Waits for the showers", strength: "moderate" },
      ],
      contributors: ["people_assisted"],
      chsCommitments: [5],
      periodStart: "2024-10-01",
      periodEnd: "2024-10-31",
    };
    const lesson = await api("POST", "/api/lessons", { as: coordinator, body: lessonBody });
    expect(lesson.status, JSON.stringify(lesson.body)).toBe(201);
    const summaryBefore = await api("GET", `/api/feedback/summary?centreId=${centreId}`, { as: coordinator });
    const textOf = async (id: string) =>
      (await db.select({ text: feedback.text }).from(feedback).where(eq(feedback.id, id)))[0]?.text;

    // Counted per centre too (a run scoped to one centre): the other centre has none past its retention.
    const now = new Date().toISOString();
    expect(await countFeedbackPastRetention(db, now, centreId)).toBe(2);
    expect(await countFeedbackPastRetention(db, now, otherCentre)).toBe(0);
    // The dry run counts the two old ones of this centre and changes nothing.
    const dry = await purge(true, admin);
    expect(dry.status).toBe(200);
    expect(dry.body.feedbackTexts).toBe(2);
    expect(await textOf(oldPending)).toBe("Mon numéro est le 06 12 34 56 78");

    const real = await purge(false, admin);
    expect(real.body.feedbackTexts).toBe(2);
    expect(await textOf(oldCited)).toBe("");
    expect(await textOf(oldPending)).toBe("");
    expect(await textOf(recent)).toBe("Le café est bon");
    expect(await textOf(otherCentres)).toBe("Fatima voudrait des cours de français");
    const listed = await api("GET", `/api/feedback?centreId=${centreId}`, { as: coordinator });
    expect(JSON.stringify(listed.body)).not.toContain("Ahmad");
    expect(JSON.stringify(listed.body)).not.toContain("06 12");
    const cleared = listed.body.items.find((item: { id: string }) => item.id === oldCited);
    expect(cleared).toMatchObject({ text: "", status: "approved", language: "fr" });

    // The counts by status stay, and the lesson keeps its evidence: the reference and the contributor's
    // own description, not the words of the feedback (which it never copied); it can still be edited.
    const summaryAfter = await api("GET", `/api/feedback/summary?centreId=${centreId}`, { as: coordinator });
    expect(summaryAfter.body).toEqual(summaryBefore.body);
    const kept = await api("GET", `/api/lessons/${lesson.body.id}`, { as: coordinator });
    expect(kept.body.evidence).toEqual([expect.objectContaining(lessonBody.evidence[0])]);
    const edited = await api("PUT", `/api/lessons/${lesson.body.id}`, {
      as: coordinator,
      body: { ...lessonBody, title: "Longer shower hours in winter" },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    const again = await purge(true, admin);
    expect(again.body.feedbackTexts).toBe(0);
  });

  it("is an admin's action only", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await purge(true, coordinator)).status).toBe(403);
    expect((await api("POST", "/api/jobs/retention-purge", { body: { dryRun: true } })).status).toBe(401);
  });
});
