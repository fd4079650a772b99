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

type Abuse = { headers: Record<string, string>; body: string };

function headersFor(m: Message, signature: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": m.id,
    "webhook-timestamp": String(m.timestamp),
    "webhook-signature": signature,
  };
}

/**
 * Every way an attacker or a broken sender makes an abusive delivery, one arbitrary per kind so each kind
 * gets its own share of the runs (a single `oneof` leaves the rarer kinds to chance).
 */
function abuses(): Array<[string, fc.Arbitrary<Abuse>]> {
  const event = () => statusChanged(target.referralId, "accepted", new Date());
  const fresh = () => message(event());
  const signedBy = (secret: string) => {
    const m = fresh();
    return { headers: headersFor(m, signWithReference(secret, m)), body: m.body };
  };
  const aged = (direction: 1 | -1) =>
    fc.integer({ min: 301, max: 400 * 24 * 3600 }).map((age) => {
      const m = message(event(), { timestamp: now() + direction * age });
      return { headers: headersFor(m, signWithReference(target.secret, m)), body: m.body };
    });
  const missing = (header: string) =>
    fc.constant(null).map(() => {
      const { headers, body } = signedBy(target.secret);
      delete headers[header];
      return { headers, body };
    });
  return [
    ["forged secret", forgedSecret.map(signedBy)],
    ["other partner's secret", fc.constant(null).map(() => signedBy(otherSecret))],
    ["revoked secret", fc.constant(null).map(() => signedBy(revokedSecret))],
    [
      "tampered body",
      fc.string({ minLength: 1, maxLength: 3 }).map((junk) => {
        const { headers, body } = signedBy(target.secret);
        return { headers, body: body.replace("accepted", `accepted${junk}`) };
      }),
    ],
    [
      "tampered id",
      fc.constant(null).map(() => {
        const { headers, body } = signedBy(target.secret);
        headers["webhook-id"] = `${headers["webhook-id"]}x`;
        return { headers, body };
      }),
    ],
    [
      "tampered timestamp",
      fc.integer({ min: 1, max: 200 }).map((shift) => {
        const { headers, body } = signedBy(target.secret);
        headers["webhook-timestamp"] = String(Number(headers["webhook-timestamp"]) - shift);
        return { headers, body };
      }),
    ],
    ["expired", aged(-1)],
    ["from the future", aged(1)],
    [
      "malformed signature header",
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
          return { headers: headersFor(m, signature), body: m.body };
        }),
    ],
    ["missing webhook-id", missing("webhook-id")],
    ["missing webhook-timestamp", missing("webhook-timestamp")],
    ["missing webhook-signature", missing("webhook-signature")],
    [
      "replayed signature under a new id",
      fc.constant(null).map(() => ({
        headers: { ...headersFor(realMessage, realSignature), "webhook-id": `${realMessage.id}-again` },
        body: realMessage.body,
      })),
    ],
    [
      "replay of a real message",
      fc
        .constant(null)
        .map(() => ({ headers: headersFor(realMessage, realSignature), body: realMessage.body })),
    ],
  ];
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
    const kinds = abuses();
    const runsPerKind = Math.ceil(CASES / kinds.length);
    let sent = 0;
    for (const [kind, arbitrary] of kinds) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (a) => {
          const response = await callHandler("POST", `/api/webhooks/partners/${target.partnerId}`, {
            body: a.body,
            headers: a.headers,
          });
          sent += 1;
          if (kind === "replay of a real message") {
            // The first answer, again, and nothing more.
            expect(response.status, kind).toBe(firstAnswer.status);
            expect(response.body, kind).toEqual(firstAnswer.body);
          } else {
            expect([400, 401], `${kind}: ${response.status} ${JSON.stringify(response.body)}`).toContain(
              response.status,
            );
            expect(response.headers.get("content-type"), kind).toContain("application/problem+json");
          }
        }),
        { numRuns: runsPerKind },
      );
    }
    expect(sent).toBeGreaterThanOrEqual(CASES);
    expect(await referralState()).toEqual(before);
  }, 300_000);
});
