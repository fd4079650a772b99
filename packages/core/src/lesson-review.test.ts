import { describe, expect, it } from "vitest";
import { evacuation, lesson } from "../test/lesson-fixtures.js";
import { EventInput } from "./event.js";
import { FeedbackSubmission, looksAutomated } from "./feedback.js";
import { checkLessonMove, Evidence, formatLessonStatement } from "./lesson.js";
import { lessonsGuideMarkdown } from "./lessons-guide.js";
import { lessonsGuideHtml } from "./lessons-guide-html.js";

describe("checkLessonMove: four eyes and a reason to go back", () => {
  it.each([
    [{ from: "draft", to: "reviewed", authorId: "u1", actorId: "u1" }, null],
    [{ from: "reviewed", to: "validated", authorId: "u1", actorId: "u2" }, null],
    [{ from: "reviewed", to: "validated", authorId: "u1", actorId: "u1" }, "own_lesson"],
    [{ from: "draft", to: "validated", authorId: "u1", actorId: "u2" }, "illegal_transition"],
    [{ from: "validated", to: "draft", authorId: "u1", actorId: "u2" }, "reason_required"],
    [{ from: "validated", to: "draft", authorId: "u1", actorId: "u2", reason: "  " }, "reason_required"],
    [{ from: "validated", to: "draft", authorId: "u1", actorId: "u1", reason: "Figures corrected" }, null],
    [{ from: "reviewed", to: "draft", authorId: "u1", actorId: "u2" }, null],
    // A lesson recorded before authors were kept can be validated by anyone holding the permission.
    [{ from: "reviewed", to: "validated", authorId: null, actorId: "u2" }, null],
  ] as const)("%j → %s", (move, refusal) => {
    const result = checkLessonMove(move);
    expect(result.ok ? null : result.error.code).toBe(refusal);
  });
});

describe("the guide's text has no doubled punctuation", () => {
  const punctuated = lesson({
    statement: {
      context: "a camp evacuation.",
      situation: "120 people arrived before 9:00 ;",
      result: "the showers were saturated by 10:00,",
      cause: "slots were not staggered.",
      recommendation: "open extra shower slots on evacuation days.",
    },
    evidence: [
      { kind: "report", reference: "Groupe URD 2018", description: "The study.", strength: "weak" },
      { kind: "event", reference: "evt-1", description: "The evacuation.", strength: "strong" },
    ],
  });

  it("drops the contributor's own end punctuation before the template's", () => {
    expect(formatLessonStatement(punctuated.statement)).toBe(
      "In the context of a camp evacuation, when 120 people arrived before 9:00, the result was the showers " +
        "were saturated by 10:00 because slots were not staggered; therefore open extra shower slots on " +
        "evacuation days.",
    );
  });

  it.each(["en", "fr"] as const)("prints no '..', ',,', ', .', '.,' or ';.' in %s", (language) => {
    const markdown = lessonsGuideMarkdown([punctuated], { centreName: "La Halte", language });
    const html = lessonsGuideHtml([punctuated], { centreName: "La Halte", language });
    for (const text of [markdown, html.replace(/<style>[\s\S]*?<\/style>/, "")]) {
      expect(text).not.toMatch(/\.\.(?!\.)|,,|;;|\)\)|[,;:]\s*\.|\.\s*[,;]|\.\s+\(/);
    }
  });
});

describe("evidence in the guide", () => {
  const figure = {
    kind: "figure",
    reference: "visits:202605:visits",
    description: "Visits in May",
    strength: "strong",
    figure: {
      report: "visits",
      periodType: "month",
      period: "202605",
      breakdown: "visits",
      value: 2345,
      publishedAt: "2026-06-02T09:00:00.000Z",
    },
  } as const;

  it("prints a picked figure with its value and period", () => {
    const html = lessonsGuideHtml([lesson({ evidence: [figure] })], { centreName: "La Halte" });
    expect(html).toContain(
      "Figure (strong evidence): Visits in May (source: Visits, period 202605: 2,345, published figure read on 2026-06-02)",
    );
    const markdown = lessonsGuideMarkdown([lesson({ evidence: [figure] })], { centreName: "La Halte" });
    expect(markdown).toContain("Visits, period 202605\\: 2,345, published figure read on 2026-06-02)");
    const french = lessonsGuideHtml([lesson({ evidence: [figure] })], {
      centreName: "La Halte",
      language: "fr",
    });
    expect(french).toContain("Passages, période 202605 : 2\u202f345");
  });

  it("prints the people an event concerned", () => {
    const event = { ...evacuation, peopleConcerned: 1609, vulnerableConcerned: 75 };
    const markdown = lessonsGuideMarkdown([lesson()], { centreName: "La Halte", events: [event] });
    expect(markdown).toContain("2026-03-03 to 2026-03-04; 1,609 people concerned, 75 of them vulnerable");
  });

  it("refuses a figure without its snapshot, and a snapshot on another kind", () => {
    const { figure: _none, ...bare } = figure;
    expect(Evidence.safeParse(bare).success).toBe(false);
    expect(Evidence.safeParse({ ...figure, kind: "report" }).success).toBe(false);
    expect(Evidence.safeParse(figure).success).toBe(true);
  });
});

describe("context events with the people they concerned", () => {
  const base = { centreId: "halte", kind: "camp_evacuation", title: "Evacuation", startsOn: "2017-05-09" };
  it.each([
    [{}, true],
    [{ peopleConcerned: 1609, vulnerableConcerned: 75 }, true],
    [{ peopleConcerned: 10, vulnerableConcerned: 11 }, false],
    [{ vulnerableConcerned: 3 }, false],
    [{ peopleConcerned: -1 }, false],
  ])("%j accepted: %s", (counts, accepted) => {
    expect(EventInput.safeParse({ ...base, ...counts }).success).toBe(accepted);
  });
});

describe("feedback from the people assisted", () => {
  it("takes a few words and the language, nothing personal", () => {
    const parsed = FeedbackSubmission.parse({
      text: "  ሻወር   ጽቡቕ እዩ  ",
      language: "ti",
      fillSeconds: 30,
    });
    expect(parsed).toEqual({ text: "ሻወር ጽቡቕ እዩ", language: "ti", website: "", fillSeconds: 30 });
    expect(FeedbackSubmission.safeParse({ text: "ok", language: "ti", fillSeconds: 30 }).success).toBe(false);
    expect(
      FeedbackSubmission.safeParse({ text: "x".repeat(2001), language: "fr", fillSeconds: 30 }).success,
    ).toBe(false);
    expect(
      FeedbackSubmission.safeParse({ text: "Merci", language: "fr", fillSeconds: 30, email: "a@b.c" })
        .success,
    ).toBe(false);
  });

  it.each([
    [{ website: "", fillSeconds: 40 }, false],
    [{ website: "https://spam.example", fillSeconds: 40 }, true],
    [{ website: "", fillSeconds: 1 }, true],
  ])("%j looks automated: %s", (submission, automated) => {
    expect(looksAutomated(submission)).toBe(automated);
  });
});
