// Issue 16, one database per centre: a door caller's credential grant in the centre's database lets its taps
// cost one round trip there, and every change the directory makes to the caller — a sign-out, a disabled
// account, a narrower role, a password reset — deletes the grant first, so the very next tap is refused and
// writes nothing, even in the isolate that just wrote with it. A fence refuses grants made from directory
// reads that began before it. All through the Worker, on real local D1 (CENTRE_A, CENTRE_B beside DB).
import { env } from "cloudflare:workers";
import {
  credentialFences,
  credentialGrants,
  fenceStatements,
  grantStatement,
  users,
  visits,
} from "@halte/db";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { runPurge } from "../src/jobs/purge.js";
import { api, type Caller, callHandler, countingD1, db, signedIn } from "./helpers.js";
import { type CentreBinding, centreDb, givenCentreIn } from "./split-helpers.js";

type Bindings = NonNullable<Parameters<typeof callHandler>[2]>["bindings"];

let serial = 0;
const tap = (centreId: string) => ({
  centreId,
  arrivedAt: new Date(Date.now() - 60_000).toISOString(),
  idempotencyKey: `grant-${Date.now()}-${++serial}`,
});

/** A tap through the Worker, counting round trips on the directory and on CENTRE_A. */
async function counted(as: Caller, centreId: string) {
  const directory = { roundTrips: 0 };
  const centre = { roundTrips: 0 };
  const answer = await callHandler("POST", "/api/visits", {
    as,
    body: JSON.stringify(tap(centreId)),
    bindings: { DB: countingD1(env.DB, directory), CENTRE_A: countingD1(env.CENTRE_A, centre) } as Bindings,
  });
  return { status: answer.status, trips: { directory: directory.roundTrips, centre: centre.roundTrips } };
}

const grantsOf = (binding: CentreBinding, actorId: string) =>
  centreDb(binding).select().from(credentialGrants).where(eq(credentialGrants.actorId, actorId));

const visitsAt = async (centreId: string) =>
  (await centreDb("CENTRE_A").select().from(visits).where(eq(visits.centreId, centreId))).length;

/** A reception volunteer of a centre on CENTRE_A who has tapped until its taps cost one round trip there. */
async function grantedReception() {
  const centreId = await givenCentreIn("CENTRE_A");
  const reception = await signedIn("reception", { centreId });
  expect((await counted(reception, centreId)).status).toBe(201);
  const steady = await counted(reception, centreId);
  expect(steady).toEqual({ status: 201, trips: { directory: 0, centre: 1 } });
  expect(await grantsOf("CENTRE_A", reception.userId)).toMatchObject([{ kind: "user", centreId }]);
  return { centreId, reception };
}

describe("a door caller's credential grant in the centre's database", () => {
  const changes: Array<{
    what: string;
    change: (who: Caller) => Promise<{ status: number }>;
    refused: number;
  }> = [
    {
      what: "signed out",
      change: (who) => api("POST", "/api/auth/logout", { as: who }),
      refused: 401,
    },
    {
      what: "disabled",
      change: async (who) => api("POST", `/api/users/${who.userId}/disable`, { as: await signedIn("admin") }),
      refused: 401,
    },
    {
      what: "narrowed to an observer",
      change: async (who) => {
        const [user] = await db.select().from(users).where(eq(users.id, who.userId));
        return api("PUT", `/api/users/${who.userId}`, {
          as: await signedIn("admin"),
          body: { name: user?.name, role: "observer", centreId: user?.centreId, partnerId: null },
        });
      },
      refused: 401,
    },
    {
      what: "given a new password by an admin",
      change: async (who) =>
        api("POST", `/api/users/${who.userId}/password`, {
          as: await signedIn("admin"),
          body: { password: "a new passphrase for the door" },
        }),
      refused: 401,
    },
  ];
  for (const { what, change, refused } of changes) {
    it(`never writes again for a session whose user was ${what}, in the isolate that held its grant`, async () => {
      const { centreId, reception } = await grantedReception();
      const before = await visitsAt(centreId);
      const changed = await change(reception);
      expect(changed.status).toBeLessThan(300);
      expect(await grantsOf("CENTRE_A", reception.userId)).toEqual([]);
      const after = await counted(reception, centreId);
      expect(after.status).toBe(refused);
      expect(await visitsAt(centreId)).toBe(before);
    });
  }

  it("is deleted in every centre's database when an admin of every centre signs out", async () => {
    const [a, b] = [await givenCentreIn("CENTRE_A"), await givenCentreIn("CENTRE_B")];
    const admin = await signedIn("admin");
    for (const centreId of [a, b, a, b]) {
      const answer = await api("POST", "/api/visits", { as: admin, body: tap(centreId) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    expect(await grantsOf("CENTRE_A", admin.userId)).toHaveLength(1);
    expect(await grantsOf("CENTRE_B", admin.userId)).toHaveLength(1);
    expect((await api("POST", "/api/auth/logout", { as: admin })).status).toBe(204);
    expect(await grantsOf("CENTRE_A", admin.userId)).toEqual([]);
    expect(await grantsOf("CENTRE_B", admin.userId)).toEqual([]);
    expect((await api("POST", "/api/visits", { as: admin, body: tap(a) })).status).toBe(401);
  });

  it("holds hashes only: the cookie's SHA-256 and the keyed hash of the CSRF token", async () => {
    const { reception } = await grantedReception();
    const [grant] = await grantsOf("CENTRE_A", reception.userId);
    const cookie = /halte_session=([^;]+)/.exec(reception.headers?.cookie ?? "")?.[1] ?? "";
    expect(grant?.credentialHash).toMatch(/^[0-9a-f]{64}$/);
    expect(grant?.proofHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(grant)).not.toContain(cookie);
    expect(JSON.stringify(grant)).not.toContain(reception.headers?.["x-csrf-token"] ?? "");
    // A session's grant ends with the session.
    expect(grant?.expiresAt).not.toBeNull();
  });
});

describe("a revocation's fence", () => {
  const at = (ms: number) => new Date(Date.parse("2026-12-07T12:00:00Z") + ms).toISOString();
  const grant = (actorId: string, checkedAt: string) =>
    grantStatement(centreDb("CENTRE_A"), {
      credentialHash: `hash-${actorId}-${checkedAt}`,
      kind: "door",
      actorId,
      centreId: "centre-x",
      proofHash: "proof",
      expiresAt: null,
      checkedAt,
    });
  const run = (statements: { sql: string; params: unknown[] }[]) =>
    env.CENTRE_A.batch(statements.map((s) => env.CENTRE_A.prepare(s.sql).bind(...s.params)));

  it("deletes the actor's grants and refuses one made from a directory read that began before its end", async () => {
    const actor = `device-${Date.now()}-${++serial}`;
    await run([grant(actor, at(0))]);
    expect(await grantsOf("CENTRE_A", actor)).toHaveLength(1);
    await run(fenceStatements([actor], at(60_000)));
    expect(await grantsOf("CENTRE_A", actor)).toEqual([]);
    // An ordinary-path write whose directory read raced the revocation: refused.
    await run([grant(actor, at(1_000))]);
    expect(await grantsOf("CENTRE_A", actor)).toEqual([]);
    // A read that began after the fence's end saw the directory's new state: a live caller's grant is kept.
    await run([grant(actor, at(60_001))]);
    expect(await grantsOf("CENTRE_A", actor)).toHaveLength(1);
    // A fence only moves later: an earlier end does not shorten it.
    await run(fenceStatements([actor], at(120_000)));
    await run(fenceStatements([actor], at(90_000)));
    await run([grant(actor, at(100_000))]);
    expect(await grantsOf("CENTRE_A", actor)).toEqual([]);
  });
});

describe("the nightly purge in a centre's database", () => {
  it("deletes grants past their session's end and fences past theirs, and keeps the live ones", async () => {
    const centreId = await givenCentreIn("CENTRE_A");
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000).toISOString();
    const earlier = new Date(now.getTime() - 1_000).toISOString();
    const actor = `purge-${Date.now()}-${++serial}`;
    const grant = (suffix: string, expiresAt: string | null) =>
      grantStatement(centreDb("CENTRE_A"), {
        credentialHash: `${actor}-${suffix}`,
        kind: "user",
        actorId: actor,
        centreId,
        proofHash: "proof",
        expiresAt,
        checkedAt: earlier,
      });
    const statements = [
      grant("ended", earlier),
      grant("live", later),
      grant("device", null),
      ...fenceStatements([`${actor}-old-fence`], earlier),
      ...fenceStatements([`${actor}-new-fence`], later),
    ];
    await env.CENTRE_A.batch(statements.map((s) => env.CENTRE_A.prepare(s.sql).bind(...s.params)));
    await runPurge({
      db: centreDb("CENTRE_A"),
      d1: env.CENTRE_A,
      directory: db,
      now,
      newId: () => uuidv7(new Date()),
      dryRun: false,
      scope: { centreId },
    });
    const kept = (await grantsOf("CENTRE_A", actor)).map((g) => g.credentialHash).sort();
    expect(kept).toEqual([`${actor}-device`, `${actor}-live`]);
    const fences = await centreDb("CENTRE_A")
      .select()
      .from(credentialFences)
      .where(inArray(credentialFences.actorId, [`${actor}-old-fence`, `${actor}-new-fence`]));
    expect(fences.map((f) => f.actorId)).toEqual([`${actor}-new-fence`]);
  });
});
