import { centres, rateLimits } from "@halte/db";
import { eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, db, givenCentre, signedIn } from "./helpers.js";
import { auditOf, errorPaths, idsOf } from "./records-helpers.js";

async function slugOf(centreId: string): Promise<string> {
  const [row] = await db.select({ slug: centres.slug }).from(centres).where(eq(centres.id, centreId));
  if (!row) throw new Error("no centre");
  return row.slug;
}

const message = {
  text: "ሻወር ብዙሕ ግዜ ይጽበዩ። ተወሳኺ ሰዓታት ይሓትና",
  language: "ti",
  theme: "support_to_needs",
  fillSeconds: 25,
};

/** Each test speaks from its own address, so the per-sender limit of one test does not reach another. */
function from(address: string) {
  return { "cf-connecting-ip": address };
}

describe("feedback from the people assisted", () => {
  it("takes anonymous feedback without an account, kept pending until a coordinator moderates it", async () => {
    const centreId = await givenCentre();
    const slug = await slugOf(centreId);
    const sent = await api("POST", `/api/public/centres/${slug}/feedback`, {
      body: message,
      headers: from("203.0.113.7"),
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ received: true });

    const coordinator = await signedIn("coordinator", { centreId });
    const pending = await api("GET", `/api/feedback?centreId=${centreId}&status=pending`, {
      as: coordinator,
    });
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        text: message.text,
        language: "ti",
        theme: "support_to_needs",
        status: "pending",
        serviceId: null,
        moderatedAt: null,
      }),
    ]);
    const id = pending.body.items[0].id;
    expect(JSON.stringify(pending.body)).not.toContain("203.0.113.7");

    const approved = await api("POST", `/api/feedback/${id}/moderation`, {
      as: coordinator,
      body: { status: "approved" },
    });
    expect(approved.body).toMatchObject({ status: "approved", moderatedBy: coordinator.userId });
    const twice = await api("POST", `/api/feedback/${id}/moderation`, {
      as: coordinator,
      body: { status: "rejected" },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("illegal_transition");

    // The log says that feedback arrived and was approved, never what it said.
    const log = await auditOf(id);
    expect(log.map((row) => row.action)).toEqual(["create", "moderate"]);
    expect(JSON.stringify(log)).not.toContain(message.text);

    const summary = await api("GET", `/api/feedback/summary?centreId=${centreId}`, { as: coordinator });
    expect(summary.body).toEqual({ centreId, pending: 0, approved: 1, rejected: 0 });
    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", `/api/feedback/summary?centreId=${centreId}`, { as: observer })).status).toBe(
      200,
    );
    expect((await api("GET", `/api/feedback?centreId=${centreId}`, { as: observer })).status).toBe(403);
    const reception = await signedIn("reception", { centreId });
    expect((await api("GET", `/api/feedback?centreId=${centreId}`, { as: reception })).status).toBe(403);
    expect((await api("GET", `/api/feedback?centreId=${centreId}`)).status).toBe(401);
  });

  it("lets approved feedback, and only approved feedback of the centre, back a lesson", async () => {
    const centreId = await givenCentre();
    const slug = await slugOf(centreId);
    for (const address of ["198.51.100.1", "198.51.100.2"]) {
      await api("POST", `/api/public/centres/${slug}/feedback`, { body: message, headers: from(address) });
    }
    const coordinator = await signedIn("coordinator", { centreId });
    const [first, second] = idsOf(
      await api("GET", `/api/feedback?centreId=${centreId}`, { as: coordinator }),
    );
    await api("POST", `/api/feedback/${first}/moderation`, { as: coordinator, body: { status: "approved" } });
    await api("POST", `/api/feedback/${second}/moderation`, {
      as: coordinator,
      body: { status: "rejected" },
    });
    const lesson = (reference: string) => ({
      centreId,
      type: "recommendation",
      theme: "support_to_needs",
      title: "Longer shower hours",
      statement: { context: "a", situation: "b", result: "c", cause: "d", recommendation: "e" },
      evidence: [{ kind: "feedback", reference, description: "Asked in Tigrinya", strength: "moderate" }],
      contributors: ["people_assisted"],
      chsCommitments: [5],
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
    });
    const ok = await api("POST", "/api/lessons", { as: coordinator, body: lesson(first ?? "") });
    expect(ok.status).toBe(201);
    const rejected = await api("POST", "/api/lessons", { as: coordinator, body: lesson(second ?? "") });
    expect(errorPaths(rejected)).toEqual(["evidence.0.reference"]);
  });

  it("refuses what asks for more than a few words, and drops what a script sends without saying so", async () => {
    const centreId = await givenCentre();
    const slug = await slugOf(centreId);
    const post = (body: unknown, address: string) =>
      api("POST", `/api/public/centres/${slug}/feedback`, { body, headers: from(address) });
    expect(errorPaths(await post({ ...message, text: "  " }, "192.0.2.1"))).toEqual(["text"]);
    expect(errorPaths(await post({ ...message, text: "x".repeat(2001) }, "192.0.2.1"))).toEqual(["text"]);
    expect(errorPaths(await post({ ...message, language: "de" }, "192.0.2.1"))).toEqual(["language"]);
    expect((await post({ ...message, name: "Ahmad", phone: "0600000000" }, "192.0.2.1")).status).toBe(422);
    expect(errorPaths(await post({ ...message, serviceId: "no-such-service" }, "192.0.2.1"))).toEqual([
      "serviceId",
    ]);
    expect((await post("{not json", "192.0.2.1")).status).toBe(400);
    expect((await api("POST", "/api/public/centres/no-such-centre/feedback", { body: message })).status).toBe(
      404,
    );

    // The honeypot filled in, or the form sent in under 3 seconds: answered like the rest, kept nowhere.
    expect((await post({ ...message, website: "https://spam.example" }, "192.0.2.2")).status).toBe(202);
    expect((await post({ ...message, fillSeconds: 0.5 }, "192.0.2.3")).status).toBe(202);
    const coordinator = await signedIn("coordinator", { centreId });
    expect(idsOf(await api("GET", `/api/feedback?centreId=${centreId}`, { as: coordinator }))).toEqual([]);
  });

  it("limits each sender to 5 an hour, keyed by a hash that never holds the address", async () => {
    const centreId = await givenCentre();
    const slug = await slugOf(centreId);
    const post = (address: string) =>
      api("POST", `/api/public/centres/${slug}/feedback`, { body: message, headers: from(address) });
    for (let n = 0; n < 5; n += 1) expect((await post("192.0.2.50")).status).toBe(202);
    const limited = await post("192.0.2.50");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect((await post("192.0.2.51")).status).toBe(202);

    const keys = await db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(like(rateLimits.key, "feedback:%"));
    expect(keys.length).toBeGreaterThan(0);
    expect(JSON.stringify(keys)).not.toContain("192.0.2.5");
    expect(keys.map((row) => row.key)).toContainEqual(
      expect.stringMatching(/^feedback:sender:[0-9a-f]{32}$/),
    );
  });
});
