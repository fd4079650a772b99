import { describe, expect, it } from "vitest";
import { evacuation, lesson as sharedLesson } from "../test/lesson-fixtures.js";
import type { Lesson } from "./lesson.js";
import { CHS_COMMITMENT_TITLES, lessonsGuideMarkdown, lessonsGuideText } from "./lessons-guide.js";

/** The shared lesson, with a figure cited before the event. */
function lesson(overrides: Partial<Lesson> = {}): Lesson {
  const base = sharedLesson();
  return sharedLesson({
    evidence: [
      {
        kind: "figure",
        reference: "reports/arrivals?period=2026W10",
        description: "Arrivals per hour",
        strength: "strong",
      },
      ...base.evidence,
    ],
    ...overrides,
  });
}

describe("lessonsGuideMarkdown", () => {
  it("prints a validated lesson in full", () => {
    const guide = lessonsGuideMarkdown([lesson()], { centreName: "La Halte de Jour", events: [evacuation] });
    expect(guide).toBe(
      [
        "# Opening a day centre\\: lessons from La Halte de Jour",
        "",
        "1 validated lesson from La Halte de Jour, grouped by theme and type. Each lesson reads: in the context of …, when …, the result was … because …; therefore ….",
        "",
        "## Premises and logistics",
        "",
        "### Recommendations",
        "",
        "#### Stagger shower slots on evacuation days",
        "",
        "In the context of a camp evacuation, when 120 people arrived before 9\\:00, the result was the showers were saturated by 10\\:00 because slots were not staggered; therefore open extra shower slots on evacuation days.",
        "",
        "- **Period:** 2026-03-01 to 2026-03-31",
        "- **Contributors:** centre team, people assisted",
        "- **CHS commitments:** 2. Timely and effective support; 6. Coordinated, complementary support",
        "- **Evidence:**",
        "  - Figure (strong evidence): Arrivals per hour (source: `reports/arrivals?period=2026W10`)",
        "  - Event (moderate evidence): The evacuation itself (source: Evacuation of the Porte de la Chapelle camp, 2026-03-03 to 2026-03-04)",
        "",
      ].join("\n"),
    );
  });

  it("prints the same lesson in French when asked, the contributor's words left as written", () => {
    const guide = lessonsGuideMarkdown([lesson()], {
      centreName: "La Halte de Jour",
      events: [evacuation],
      language: "fr",
    });
    expect(guide).toBe(
      [
        "# Ouvrir un accueil de jour \\: les enseignements de La Halte de Jour",
        "",
        "1 enseignement validé de La Halte de Jour, par thème et par type. Chacun se lit : dans le contexte de …, lorsque …, le résultat a été … parce que … ; par conséquent, ….",
        "",
        "## Locaux et logistique",
        "",
        "### Recommandations",
        "",
        "#### Stagger shower slots on evacuation days",
        "",
        "Dans le contexte de a camp evacuation, lorsque 120 people arrived before 9\\:00, le résultat a été the showers were saturated by 10\\:00 parce que slots were not staggered ; par conséquent, open extra shower slots on evacuation days.",
        "",
        "- **Période:** du 2026-03-01 au 2026-03-31",
        "- **Contributeurs:** équipe du centre, personnes accueillies",
        "- **Engagements CHS:** 2. Un soutien rapide et efficace; 6. Un soutien coordonné et complémentaire",
        "- **Preuves:**",
        "  - Chiffre (preuve forte): Arrivals per hour (source: `reports/arrivals?period=2026W10`)",
        "  - Événement (preuve modérée): The evacuation itself (source: Evacuation of the Porte de la Chapelle camp, du 2026-03-03 au 2026-03-04)",
        "",
      ].join("\n"),
    );
    expect(lessonsGuideMarkdown([], { centreName: "Halte", language: "fr" })).toBe(
      "# Ouvrir un accueil de jour \\: les enseignements de Halte\n\nPas encore d'enseignement validé pour Halte.\n",
    );
  });

  it("keeps only validated, unarchived lessons", () => {
    const guide = lessonsGuideMarkdown(
      [
        lesson({ id: "a", title: "Draft one", status: "draft" }),
        lesson({ id: "b", title: "Reviewed one", status: "reviewed" }),
        lesson({ id: "c", title: "Archived one", archivedAt: "2026-07-01T00:00:00Z" }),
        lesson({ id: "d", title: "Kept one" }),
      ],
      { centreName: "Halte" },
    );
    expect(guide).toContain("#### Kept one");
    expect(guide).not.toMatch(/Draft one|Reviewed one|Archived one/);
  });

  it("groups by theme in LessonTheme order, then by type in LessonType order, then by period and title", () => {
    const guide = lessonsGuideMarkdown(
      [
        lesson({ id: "1", theme: "advocacy", type: "challenge", title: "Advocacy challenge" }),
        lesson({
          id: "2",
          theme: "preparation",
          type: "recommendation",
          title: "B later",
          periodStart: "2026-04-01",
          periodEnd: "2026-04-02",
        }),
        lesson({ id: "3", theme: "preparation", type: "success_factor", title: "Prep success" }),
        lesson({ id: "4", theme: "preparation", type: "recommendation", title: "Z earlier" }),
        lesson({ id: "5", theme: "preparation", type: "recommendation", title: "A earlier" }),
        lesson({ id: "6", theme: "coordination", type: "good_practice", title: "Weekly partner meeting" }),
      ],
      { centreName: "Halte", title: "Guide" },
    );
    const headings = guide.split("\n").filter((line) => line.startsWith("#"));
    expect(headings).toEqual([
      "# Guide",
      "## Preparation",
      "### Success factors",
      "#### Prep success",
      "### Recommendations",
      "#### A earlier",
      "#### Z earlier",
      "#### B later",
      "## Coordination between organisations",
      "### Good practices",
      "#### Weekly partner meeting",
      "## Advocacy",
      "### Challenges",
      "#### Advocacy challenge",
    ]);
  });

  it("gives the same text whatever order the lessons come in", () => {
    const lessons = [
      lesson({ id: "x", title: "Same title" }),
      lesson({ id: "y", title: "Same title", contributors: ["partners"] }),
      lesson({ id: "z", theme: "resources", title: "Other" }),
    ];
    const options = { centreName: "Halte" };
    expect(lessonsGuideMarkdown([...lessons].reverse(), options)).toBe(
      lessonsGuideMarkdown(lessons, options),
    );
  });

  it("cannot be used to inject headings, links, images or HTML", () => {
    const hostile = lesson({
      title: "Fine ## [click](https://evil.example) ![x](https://evil.example/p.png)",
      statement: {
        context: "a test\n\n# Injected heading\n<script>alert(1)</script>",
        situation: "www.evil.example and https://evil.example are pasted",
        result: "*bold* _em_ `code` | table |",
        cause: "&lt;entities&gt; are typed",
        recommendation: "nothing\n- injected list item",
      },
      evidence: [
        {
          kind: "report",
          reference: "https://x.example/`a`\n# h",
          description: "<img src=x onerror=alert(1)>",
          strength: "weak",
        },
      ],
    });
    const guide = lessonsGuideMarkdown([hostile], {
      centreName: "<b>Halte</b>",
      title: "[Guide](javascript:alert(1))",
    });
    const lines = guide.split("\n");
    // Only our own headings and list items start lines.
    expect(lines.filter((line) => line.startsWith("#"))).toHaveLength(4);
    expect(lines.filter((line) => /^\s*- /.test(line))).toHaveLength(5);
    expect(guide).not.toMatch(/(?<!\\)[<[]/);
    expect(guide).not.toMatch(/(?<!\\)&lt;/);
    // Outside the inert code span that quotes the evidence reference, no URL survives as typed.
    expect(guide.replace(/`[^`]*`/g, "")).not.toMatch(/https:\/\//);
    expect(guide).not.toMatch(/(?<!\\)www\./);
    expect(guide).toContain("\\*bold\\* \\_em\\_ \\`code\\` \\| table \\|");
    expect(guide).toContain("(source: `https://x.example/'a' # h`)");
  });

  it("names every CHS 2024 commitment, in English and in French", () => {
    expect(Object.keys(CHS_COMMITMENT_TITLES).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Object.keys(lessonsGuideText("fr").commitments).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const guide = lessonsGuideMarkdown([lesson({ chsCommitments: [] })], { centreName: "Halte" });
    expect(guide).toContain("- **CHS commitments:** none named");
  });

  it("says so when there is nothing to compile yet", () => {
    expect(lessonsGuideMarkdown([lesson({ status: "draft" })], { centreName: "La Halte de Jour" })).toBe(
      "# Opening a day centre\\: lessons from La Halte de Jour\n\nNo validated lessons from La Halte de Jour yet.\n",
    );
  });
});
