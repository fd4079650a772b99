// Webhook abuse: well over a thousand forged, tampered, expired, premature, malformed and replayed deliveries
// to the inbound endpoint. Not one may be accepted: each answers 400 or 401 (a replay of a real message
// answers its first answer), and the referral they try to move — and its history — stay as they were.
import { referralHistory, referrals } from "@halte/db";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { api, callHandler, db } from "./helpers.js";
import {
  givenSentReferral,
  givenWebhookPartner,
  type Message,
  message,
  signWithReference,
  statusChanged,
} from "./webhooks-helpers.js";

const CASES = 1200;

let target: { partnerId: string; referralId: string; secret: string };
let otherSecret: string;
let revokedSecret: string;
let realMessage: Message;
let realSignature: string;
let firstAnswer: { status: number; body: unknown };

/** A secret nobody issued, in the right format. */
const forgedSecret = fc
  .uint8Array({ minLength: 24, maxLength: 32 })
  .map((bytes) => `whsec_${btoa(String.fromCharCode(...bytes))}`);

const now = () => Math.floor(Date.now() / 1000);

type Abuse = { headers: Record<string, string>; body: string; kind: string };

function headersFor(m: Message, signature: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": m.id,
    "webhook-timestamp": String(m.timestamp),
    "webhook-signature": signature,
  };
}

/** One abusive delivery, in one of the ways an attacker or a broken sender would make it. */
function abuse(): fc.Arbitrary<Abuse> {
  const event = () => statusChanged(target.referralId, "accepted", new Date());
  const fresh = () => message(event());
  return fc.oneof(
    forgedSecret.map((secret) => {
      const m = fresh();
      return { kind: "forged secret", headers: headersFor(m, signWithReference(secret, m)), body: m.body };
    }),
    fc.constant(null).map(() => {
      const m = fresh();
      return {
        kind: "other partner's secret",
        headers: headersFor(m, signWithReference(otherSecret, m)),
        body: m.body,
      };
    }),
    fc.constant(null).map(() => {
      const m = fresh();
      return {
        kind: "revoked secret",
        headers: headersFor(m, signWithReference(revokedSecret, m)),
        body: m.body,
      };
    }),
    fc.string({ minLength: 1, maxLength: 3 }).map((junk) => {
      const m = fresh();
      const body = m.body.replace("accepted", `accepted${junk}`);
      return { kind: "tampered body", headers: headersFor(m, signWithReference(target.secret, m)), body };
    }),
    fc.constant(null).map(() => {
      const m = fresh();
      const headers = headersFor(m, signWithReference(target.secret, m));
      headers["webhook-id"] = `${m.id}x`;
      return { kind: "tampered id", headers, body: m.body };
    }),
    fc.integer({ min: 1, max: 200 }).map((shift) => {
      const m = fresh();
      const headers = headersFor(m, signWithReference(target.secret, m));
      headers["webhook-timestamp"] = String(m.timestamp - shift);
      return { kind: "tampered timestamp", headers, body: m.body };
    }),
    fc.integer({ min: 301, max: 400 * 24 * 3600 }).chain((age) =>
      fc.boolean().map((future) => {
        const m = message(event(), { timestamp: now() + (future ? age : -age) });
        return {
          kind: future ? "from the future" : "expired",
          headers: headersFor(m, signWithReference(target.secret, m)),
          body: m.body,
        };
      }),
    ),
    fc
      .constantFrom(
        "",
        "v1,",
        "v1",
        "v2,AAAA",
        "v1,not base64!",
        "v1 ,abc",
        `v1,${"A".repeat(5000)}`,
        "v1a,YWJj",
        ",,,",
      )
      .map((signature) => {
        const m = fresh();
        return { kind: "malformed signature header", headers: headersFor(m, signature), body: m.body };
      }),
    fc.constantFrom("webhook-id", "webhook-timestamp", "webhook-signature").map((missing) => {
      const m = fresh();
      const headers = headersFor(m, signWithReference(target.secret, m));
      delete headers[missing];
      return { kind: `missing ${missing}`, headers, body: m.body };
    }),
    fc.constant(null).map(() => ({
      kind: "replayed signature under a new id",
      headers: { ...headersFor(realMessage, realSignature), "webhook-id": `${realMessage.id}-again` },
      body: realMessage.body,
    })),
    fc.constant(null).map(() => ({
      kind: "replay of a real message",
      headers: headersFor(realMessage, realSignature),
      body: realMessage.body,
    })),
  );
}

async function referralState() {
  const [row] = await db.select().from(referrals).where(eq(referrals.id, target.referralId));
  const history = await db
    .select()
    .from(referralHistory)
    .where(eq(referralHistory.referralId, target.referralId));
  return { status: row?.status, version: row?.updatedAt, history: history.length };
}

beforeAll(async () => {
  const own = await givenWebhookPartner();
  // The partner rotates: a new secret, then the old one revoked at once.
  const rotated = await api("POST", `/api/partners/${own.partnerId}/webhook-secrets`, {
    as: own.admin,
    body: {},
  });
  expect(rotated.status).toBe(201);
  const revoked = await api("POST", `/api/webhook-secrets/${own.secretId}/revoke`, { as: own.admin });
  expect(revoked.status).toBe(200);
  revokedSecret = own.secret;
  const referralId = await givenSentReferral(own.admin, own.centreId, own.partnerId);
  target = { partnerId: own.partnerId, referralId, secret: rotated.body.secret };
  otherSecret = (await givenWebhookPartner()).secret;
  // One real message (`requested` again: it changes nothing) is delivered once, so replays of it have a
  // first answer to get back.
  realMessage = message(statusChanged(referralId, "requested", new Date()));
  realSignature = signWithReference(target.secret, realMessage);
  const first = await callHandler("POST", `/api/webhooks/partners/${own.partnerId}`, {
    body: realMessage.body,
    headers: headersFor(realMessage, realSignature),
  });
  expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
  firstAnswer = { status: first.status, body: first.body };
});

describe("webhook abuse", () => {
  it(`accepts none of ${CASES} forged, tampered, expired, malformed or replayed deliveries`, async () => {
    const before = await referralState();
    expect(before.status).toBe("requested");
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(abuse(), async (a) => {
        const response = await callHandler("POST", `/api/webhooks/partners/${target.partnerId}`, {
          body: a.body,
          headers: a.headers,
        });
        kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
        if (a.kind === "replay of a real message") {
          // The first answer, again, and nothing more.
          expect(response.status, a.kind).toBe(firstAnswer.status);
          expect(response.body, a.kind).toEqual(firstAnswer.body);
        } else {
          expect([400, 401], `${a.kind}: ${response.status} ${JSON.stringify(response.body)}`).toContain(
            response.status,
          );
          expect(response.headers.get("content-type"), a.kind).toContain("application/problem+json");
        }
      }),
      { numRuns: CASES },
    );
    expect(await referralState()).toEqual(before);
    // Every kind of abuse was tried, many times each.
    expect(kinds.size).toBeGreaterThanOrEqual(14);
    for (const [kind, count] of kinds) expect(count, kind).toBeGreaterThan(20);
  }, 300_000);
});
