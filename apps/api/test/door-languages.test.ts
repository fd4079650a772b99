// The door's languages: the centre's own list (any ISO 639 code, each named in its own script), else the
// six the door always offered.
import { describe, expect, it } from "vitest";
import { api, centreInput, givenCentre, signedIn } from "./helpers.js";

describe("door languages", () => {
  it("are the built-in six until an admin chooses the centre's list, then that list, named in its own script", async () => {
    const centreId = await givenCentre();
    const reception = await signedIn("reception", { centreId });
    const admin = await signedIn("admin", { centreId });
    const before = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: reception });
    expect(before.body.languages.map((l: { code: string }) => l.code)).toEqual([
      "fr",
      "en",
      "ar",
      "prs",
      "ps",
      "ti",
    ]);

    const centre = await api("GET", `/api/centres/${centreId}`, { as: admin });
    const { id: _id, createdAt: _c, updatedAt: _u, archivedAt: _a, ...input } = centre.body;
    const put = await api("PUT", `/api/centres/${centreId}`, {
      as: admin,
      body: { ...input, doorLanguages: ["fr", "so", "am", "ar"] },
    });
    expect(put.status).toBe(200);
    const after = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: reception });
    expect(after.body.languages).toEqual([
      { code: "fr", name: "Français", dir: "ltr" },
      { code: "so", name: "Soomaali", dir: "ltr" },
      { code: "am", name: "አማርኛ", dir: "ltr" },
      { code: "ar", name: "العربية", dir: "rtl" },
    ]);
    const visit = await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: new Date().toISOString(), languages: ["so"] },
    });
    expect([visit.status, visit.body.languages]).toEqual([201, ["so"]]);
    const bad = await api("PUT", `/api/centres/${centreId}`, {
      as: admin,
      body: { ...centreInput({ slug: input.slug }), doorLanguages: ["Somali!"] },
    });
    expect(bad.status).toBe(422);
  });
});
