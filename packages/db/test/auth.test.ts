import { describe, expect, it } from "vitest";
import {
  archivePartner,
  clearRateLimit,
  countFailure,
  disableUser,
  findLiveSession,
  findLiveToken,
  findSession,
  findSignInUser,
  getRateLimit,
  insertSession,
  insertToken,
  revokeSession,
  stampTokenUse,
} from "../src/index.js";
import { AT, db, freshId, givenCentre, givenPartner, givenUser } from "./fixtures.js";

const LATER = "2026-11-28T09:00:00.000Z";
const EXPIRES = "2026-11-28T20:00:00.000Z";

async function givenSession(userId: string) {
  const idHash = freshId("hash");
  await insertSession(db, {
    idHash,
    userId,
    csrfToken: "csrf",
    createdAt: AT,
    expiresAt: EXPIRES,
    revokedAt: null,
  }).run();
  return idHash;
}

describe("sessions", () => {
  it("finds a live session with its user, and not once it is revoked or expired", async () => {
    const centreId = await givenCentre();
    const user = await givenUser({ centreId });
    const idHash = await givenSession(user.id);
    const live = await findLiveSession(db, idHash, LATER);
    expect(live?.user.id).toBe(user.id);
    expect(live?.session.csrfToken).toBe("csrf");
    expect(await findLiveSession(db, idHash, EXPIRES)).toBeNull();
    await revokeSession(db, idHash, LATER).run();
    expect(await findLiveSession(db, idHash, LATER)).toBeNull();
    // The session is still there to read (GET /auth/session answers from it), revoked.
    expect((await findSession(db, idHash))?.session.revokedAt).toBe(LATER);
    expect(await findLiveSession(db, "no-such-hash", LATER)).toBeNull();
  });

  it("refuses the session of a disabled user, and of a partner's staff once the partner is archived", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const staff = await givenUser({ centreId, partnerId });
    const colleague = await givenUser({ centreId });
    const staffSession = await givenSession(staff.id);
    const colleagueSession = await givenSession(colleague.id);
    expect(await findLiveSession(db, staffSession, LATER)).not.toBeNull();
    await archivePartner(db, partnerId, LATER).run();
    expect(await findLiveSession(db, staffSession, LATER)).toBeNull();
    await disableUser(db, colleague.id, LATER).run();
    expect(await findLiveSession(db, colleagueSession, LATER)).toBeNull();
  });
});

describe("sign-in lookup", () => {
  it("finds an account by email in any case, password included, unless disabled or its partner archived", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const email = `${freshId("Mixed.Case")}@Halte.Test`;
    const user = await givenUser({ centreId, email });
    const found = await findSignInUser(db, email.toUpperCase());
    expect(found).toMatchObject({ id: user.id, passwordIterations: 1000, passwordSalt: "c2FsdA==" });
    const staff = await givenUser({ centreId, partnerId });
    expect((await findSignInUser(db, staff.email))?.id).toBe(staff.id);
    await archivePartner(db, partnerId, LATER).run();
    expect(await findSignInUser(db, staff.email)).toBeNull();
    await disableUser(db, user.id, LATER).run();
    expect(await findSignInUser(db, email)).toBeNull();
  });
});

describe("API tokens", () => {
  it("finds a token by hash while it is live and its partner active, and stamps its use", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const id = freshId("token");
    const tokenHash = freshId("token-hash");
    await insertToken(db, {
      id,
      tokenHash,
      centreId,
      partnerId,
      name: "Integration",
      createdAt: AT,
      createdBy: null,
      expiresAt: null,
    }).run();
    expect((await findLiveToken(db, tokenHash))?.id).toBe(id);
    await stampTokenUse(db, id, LATER).run();
    expect((await findLiveToken(db, tokenHash))?.lastUsedAt).toBe(LATER);
    expect(await findLiveToken(db, "other-hash")).toBeNull();
    await archivePartner(db, partnerId, LATER).run();
    expect(await findLiveToken(db, tokenHash)).toBeNull();
  });
});

describe("rate limits", () => {
  it("counts failures in a window, starts again after it, and forgets them on clear", async () => {
    const key = freshId("login");
    const windowMs = 15 * 60_000;
    const count = async (at: string) => {
      await countFailure(db, key, at, new Date(Date.parse(at) - windowMs).toISOString()).run();
      return getRateLimit(db, key);
    };
    expect(await getRateLimit(db, key)).toBeNull();
    expect(await count("2026-11-28T08:00:00.000Z")).toEqual({
      key,
      windowStart: "2026-11-28T08:00:00.000Z",
      count: 1,
    });
    expect((await count("2026-11-28T08:05:00.000Z"))?.count).toBe(2);
    expect((await count("2026-11-28T08:14:59.000Z"))?.count).toBe(3);
    // 15 minutes after the window opened, it is over: a new one starts.
    expect(await count("2026-11-28T08:15:00.000Z")).toEqual({
      key,
      windowStart: "2026-11-28T08:15:00.000Z",
      count: 1,
    });
    await clearRateLimit(db, key).run();
    expect(await getRateLimit(db, key)).toBeNull();
  });

  it("counts concurrent failures once each", async () => {
    const key = freshId("burst");
    const at = "2026-11-28T08:00:00.000Z";
    const before = "2026-11-28T07:45:00.000Z";
    await Promise.all(Array.from({ length: 8 }, () => countFailure(db, key, at, before).run()));
    expect((await getRateLimit(db, key))?.count).toBe(8);
  });
});
