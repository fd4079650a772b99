import { describe, expect, it } from "vitest";
import { insertAuditEntry, listAudit } from "../src/index.js";
import { AT, db, freshId, givenCentre } from "./fixtures.js";

describe("the audit log", () => {
  it("keeps what a write recorded, and lists it newest first, filtered, a page at a time", async () => {
    const centreId = await givenCentre();
    const entityId = freshId("visit");
    for (const action of ["create", "update", "delete"]) {
      await insertAuditEntry(db, {
        centreId,
        actorType: "user",
        actorId: "user-1",
        action,
        entity: "visit",
        entityId,
        diff: { after: { action } },
        at: AT,
      }).run();
    }
    const all = await listAudit(db, { centreId, entity: "visit", entityId, limit: 10 });
    expect(all.map((row) => row.action)).toEqual(["delete", "update", "create"]);
    expect(all[0]).toMatchObject({
      centreId,
      actorType: "user",
      actorId: "user-1",
      diff: { after: { action: "delete" } },
    });
    // One more than the limit says a next page exists; the next page starts below the last id shown.
    const page = await listAudit(db, { centreId, entityId, limit: 1 });
    expect(page).toHaveLength(2);
    const next = await listAudit(db, { centreId, entityId, limit: 5, beforeId: page[0]?.id as number });
    expect(next.map((row) => row.action)).toEqual(["update", "create"]);
    expect(await listAudit(db, { centreId: await givenCentre(), limit: 5 })).toEqual([]);
  });

  it("lands together with the write in one batch, or not at all", async () => {
    const centreId = await givenCentre();
    const entityId = freshId("thing");
    const entry = {
      centreId,
      actorType: "system" as const,
      actorId: null,
      action: "create",
      entity: "thing",
      entityId,
      diff: {},
      at: AT,
    };
    // The second statement fails (a NOT NULL column left out), so the first is rolled back with it.
    await expect(
      db.batch([
        insertAuditEntry(db, entry),
        insertAuditEntry(db, { ...entry, action: null as unknown as string }),
      ]),
    ).rejects.toThrow();
    expect(await listAudit(db, { centreId, entityId, limit: 5 })).toEqual([]);
  });
});
