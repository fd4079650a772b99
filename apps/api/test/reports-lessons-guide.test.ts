// The lessons guide as a printable HTML page, through the API: validated lessons only, user text escaped,
// Markdown still the default.
import { describe, expect, it } from "vitest";
import { api, type Caller, givenCentre, signedIn } from "./helpers.js";

async function validatedLesson(as: Caller, centreId: string, title: string, theme: string) {
  const created = await api("POST", "/api/lessons", {
    as,
    body: {
      centreId,
      type: "recommendation",
      theme,
      title,
      statement: {
        context: "a camp evacuation <script>alert('x')</script>",
        situation: "twice the usual number of people arrived before 9:00",
        result: "all showers were booked by 10:00",
        cause: "slots were not staggered",
        recommendation: "plan staggered slots when an evacuation is announced",
      },
      evidence: [],
      contributors: ["centre_team"],
      chsCommitments: [2],
      periodStart: "2026-01-19",
      periodEnd: "2026-01-25",
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // Four eyes: the author marks it reviewed, a colleague validates it.
  const colleague = await signedIn("coordinator", { centreId });
  for (const [who, status] of [
    [as, "reviewed"],
    [colleague, "validated"],
  ] as const) {
    const moved = await api("POST", `/api/lessons/${created.body.id}/status`, { as: who, body: { status } });
    expect(moved.status).toBe(200);
  }
}

describe("the lessons guide as HTML", () => {
  it("is a printable page of the validated lessons, by theme, with user text escaped", async () => {
    const centreId = await givenCentre({ name: "Halte Nord" });
    const coordinator = await signedIn("coordinator", { centreId });
    await validatedLesson(coordinator, centreId, "Stagger shower slots", "premises_logistics");
    await validatedLesson(coordinator, centreId, "Brief the partners first", "preparation");
    const observer = await signedIn("observer", { centreId });

    const page = await api("GET", `/api/lessons/guide?centreId=${centreId}&format=html`, { as: observer });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = String(page.body);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain("<title>Opening a day centre: lessons from Halte Nord</title>");
    expect(html).toContain("size: A4");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html.indexOf("<h2>Preparation</h2>")).toBeLessThan(
      html.indexOf("<h2>Premises and logistics</h2>"),
    );
    expect(html).toContain("2. Timely and effective support");

    const markdown = await api("GET", `/api/lessons/guide?centreId=${centreId}`, { as: observer });
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(String(markdown.body)).toMatch(/^# Opening a day centre/);
    const bad = await api("GET", `/api/lessons/guide?centreId=${centreId}&format=pdf`, { as: observer });
    expect(bad.status).toBe(422);
  });

  it("prints in French for the centre's team, lessons as written, and refuses a language it has not", async () => {
    const centreId = await givenCentre({ name: "Halte Nord" });
    const coordinator = await signedIn("coordinator", { centreId });
    await validatedLesson(coordinator, centreId, "Stagger shower slots", "premises_logistics");
    const path = `/api/lessons/guide?centreId=${centreId}`;
    const page = await api("GET", `${path}&format=html&language=fr`, { as: coordinator });
    expect(page.status).toBe(200);
    const html = String(page.body);
    expect(html.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    expect(html).toContain("<title>Ouvrir un accueil de jour : les enseignements de Halte Nord</title>");
    expect(html).toContain("<h2>Locaux et logistique</h2>");
    expect(html).toContain("<h4>Stagger shower slots</h4>");
    const markdown = await api("GET", `${path}&language=fr`, { as: coordinator });
    expect(String(markdown.body)).toMatch(/^# Ouvrir un accueil de jour/);
    const unknown = await api("GET", `${path}&language=ti`, { as: coordinator });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string[] }) => e.path.join("."))).toEqual(["query.language"]);
  });
});
