import { describe, expect, it } from "vitest";
import { evacuation, lesson } from "../test/lesson-fixtures.js";
import { lessonsGuideHtml } from "./lessons-guide-html.js";

describe("lessonsGuideHtml", () => {
  it("is one self-contained printable page: lang, A4 print style, a page per theme, no script", () => {
    const page = lessonsGuideHtml([lesson()], {
      centreName: "La Halte de Jour",
      events: [evacuation],
      lang: "fr",
    });
    expect(page.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    expect(page).toContain("@page { size: A4;");
    expect(page).toContain("section.theme + section.theme { break-before: page;");
    expect(page).not.toMatch(/<script|<link|src=/i);
    expect(page).toContain("<title>Opening a day centre: lessons from La Halte de Jour</title>");
    expect(page).toContain(
      "<dt>CHS commitments</dt><dd>2. Timely and effective support; 6. Coordinated, complementary support</dd>",
    );
    expect(page).toContain(
      "Event (moderate evidence): The evacuation itself (source: Evacuation of the Porte de la Chapelle camp, 2026-03-03 to 2026-03-04)",
    );
    expect(page).toContain("<dt>Contributors</dt><dd>centre team, people assisted</dd>");
  });

  it("prints in French for a French-speaking team: headings, labels, commitments, template and lang", () => {
    const page = lessonsGuideHtml([lesson()], {
      centreName: "La Halte de Jour",
      events: [evacuation],
      language: "fr",
    });
    expect(page.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    expect(page).toContain(
      "<title>Ouvrir un accueil de jour : les enseignements de La Halte de Jour</title>",
    );
    expect(page).toContain("<h2>Locaux et logistique</h2>");
    expect(page).toContain("<h3>Recommandations</h3>");
    expect(page).toContain("<p>1 enseignement validé de La Halte de Jour, par thème et par type.");
    expect(page).toContain(
      "<p>Dans le contexte de a camp evacuation, lorsque 120 people arrived before 9:00, le résultat a été " +
        "the showers were saturated by 10:00 parce que slots were not staggered ; par conséquent, open extra " +
        "shower slots on evacuation days.</p>",
    );
    expect(page).toContain("<dt>Période</dt><dd>du 2026-03-01 au 2026-03-31</dd>");
    expect(page).toContain("<dt>Contributeurs</dt><dd>équipe du centre, personnes accueillies</dd>");
    expect(page).toContain(
      "<dt>Engagements CHS</dt><dd>2. Un soutien rapide et efficace; 6. Un soutien coordonné et complémentaire</dd>",
    );
    expect(page).toContain(
      "Événement (preuve modérée): The evacuation itself (source: Evacuation of the Porte de la Chapelle camp, du 2026-03-03 au 2026-03-04)",
    );
    expect(page).not.toMatch(/Opening a day centre|Contributors|Period|In the context of/);
    const empty = lessonsGuideHtml([], { centreName: "Halte Nord", language: "fr" });
    expect(empty).toContain("<p>Pas encore d&#39;enseignement validé pour Halte Nord.</p>");
  });

  it("escapes user text: a statement holding a script prints as text", () => {
    const hostile = lesson({
      title: 'Doors <img src=x onerror="alert(1)">',
      statement: { ...lesson().statement, context: "<script>alert('x')</script> & co" },
    });
    const page = lessonsGuideHtml([hostile], { centreName: "Halte <b>", lang: '"><script>' });
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    expect(page).toContain("Halte &lt;b&gt;");
    expect(page).toContain('<html lang="en">'); // a malformed language tag falls back to English
  });

  it("keeps the Markdown guide's order: themes, then types, then period and title; validated only", () => {
    const lessons = [
      lesson({ id: "b", title: "Later lesson", periodStart: "2026-04-01", periodEnd: "2026-04-30" }),
      lesson({ id: "a", title: "Earlier lesson" }),
      lesson({ id: "c", title: "A preparation lesson", theme: "preparation", type: "success_factor" }),
      lesson({ id: "d", title: "A challenge", type: "challenge" }),
      lesson({ id: "e", title: "A draft", status: "draft" }),
      lesson({ id: "f", title: "Archived", archivedAt: "2026-07-01T00:00:00Z" }),
    ];
    const page = lessonsGuideHtml(lessons, { centreName: "La Halte de Jour" });
    const order = [
      "A preparation lesson",
      "Premises and logistics",
      "Recommendations",
      "Earlier lesson",
      "Later lesson",
      "Challenges",
      "A challenge",
    ];
    const positions = order.map((text) => page.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(page).not.toContain("A draft");
    expect(page).not.toContain("Archived");
    expect(page.match(/<section class="theme">/g)).toHaveLength(2);
    expect(page).toContain("4 validated lessons");
  });

  it("says so when there is nothing validated yet", () => {
    const page = lessonsGuideHtml([lesson({ status: "reviewed" })], { centreName: "La Halte de Jour" });
    expect(page).toContain("<p>No validated lessons from La Halte de Jour yet.</p>");
    expect(page).not.toContain("<section");
  });
});
