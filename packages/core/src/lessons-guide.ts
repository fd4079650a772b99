import type { Event } from "./event.js";
import { formatLessonStatement, type GuideLanguage, type Lesson, LessonTheme, LessonType } from "./lesson.js";
import { type LessonsGuideText, lessonsGuideText } from "./lessons-guide-text.js";

export { CHS_COMMITMENT_TITLES, type LessonsGuideText, lessonsGuideText } from "./lessons-guide-text.js";

/** The CHS commitments of a lesson, in order, with their short titles: "1. Rights and participation; 4. …". */
export function commitmentList(commitments: readonly number[], text: LessonsGuideText): string {
  const list = [...commitments]
    .sort((a, b) => a - b)
    .map((n) => `${n}. ${text.commitments[n] ?? text.unknownCommitment}`)
    .join("; ");
  return list === "" ? text.labels.noCommitment : list;
}

export interface LessonsGuideOptions {
  /** The centre the lessons come from, named in the title and introduction. */
  readonly centreName: string;
  /** Replaces the default title "Opening a day centre: lessons from {centreName}". */
  readonly title?: string;
  /** The language of the headings, labels and statement template: English (default) or French. */
  readonly language?: GuideLanguage;
  /** Context events, so evidence citing an event by id shows its title and dates. */
  readonly events?: readonly Event[];
}

/**
 * Makes user text inert in Markdown: line breaks fold into spaces (no new block can start), and every
 * character that can open emphasis, code, a link, an image, a table cell, an entity or HTML is
 * backslash-escaped, as CommonMark allows for any ASCII punctuation; so are `:` and the dot of `www.`, which
 * GitHub-flavoured Markdown would turn into autolinks. Other punctuation stays as typed so the text reads
 * well: it cannot start a block in the middle of a line.
 */
function inline(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_{}[\]<>#|~:&$!]/g, "\\$&")
    .replace(/\b(www)\./gi, "$1\\.");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPeriodThenTitle(a: Lesson, b: Lesson): number {
  return (
    compareText(a.periodStart, b.periodStart) ||
    compareText(a.periodEnd, b.periodEnd) ||
    compareText(a.title, b.title) ||
    compareText(a.id, b.id)
  );
}

/**
 * Where a piece of evidence comes from, as plain text for both renderings: a figure with its value and
 * period, an event with its title, dates and the people it concerned, moderated feedback as such; `null`
 * for a document or an unknown event, which the guide quotes by its reference.
 */
export function evidenceSource(
  evidence: Lesson["evidence"][number],
  events: ReadonlyMap<string, Event>,
  text: LessonsGuideText,
): string | null {
  if (evidence.kind === "figure" && evidence.figure) {
    const { figure } = evidence;
    return text.figureText(
      text.figureName(figure.breakdown),
      figure.period,
      figure.value,
      figure.publishedAt.slice(0, 10),
    );
  }
  if (evidence.kind === "feedback") return text.feedbackSource;
  const event = evidence.kind === "event" ? events.get(evidence.reference) : undefined;
  if (!event) return null;
  const people =
    event.peopleConcerned === null || event.peopleConcerned === undefined
      ? ""
      : `; ${text.peopleConcerned(event.peopleConcerned, event.vulnerableConcerned ?? null)}`;
  return `${event.title}, ${text.period(event.startsOn, event.endsOn ?? event.startsOn)}${people}`;
}

/** A contributor's description as the guide prints it before "(source: …)": no trailing full stop. */
export function evidenceDescription(description: string): string {
  return description
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.,;:]+$/u, "");
}

function evidenceLine(
  evidence: Lesson["evidence"][number],
  events: ReadonlyMap<string, Event>,
  text: LessonsGuideText,
): string {
  const head = text.evidenceHead(text.evidenceKinds[evidence.kind], evidence.strength);
  const found = evidenceSource(evidence, events, text);
  const source =
    found === null ? `\`${evidence.reference.replace(/\s+/g, " ").replaceAll("`", "'")}\`` : inline(found);
  return `  - ${head}: ${inline(evidenceDescription(evidence.description))} (${text.source}: ${source})`;
}

function lessonSection(
  lesson: Lesson,
  events: ReadonlyMap<string, Event>,
  text: LessonsGuideText,
  language: GuideLanguage,
): string[] {
  const lines = [
    `#### ${inline(lesson.title)}`,
    "",
    inline(formatLessonStatement(lesson.statement, language)),
    "",
    `- **${text.labels.period}:** ${text.period(lesson.periodStart, lesson.periodEnd)}`,
    `- **${text.labels.contributors}:** ${lesson.contributors.map((group) => text.contributors[group]).join(", ")}`,
    `- **${text.labels.commitments}:** ${commitmentList(lesson.chsCommitments, text)}`,
  ];
  if (lesson.evidence.length === 0) lines.push(`- **${text.labels.evidence}:** ${text.labels.noEvidence}`);
  else
    lines.push(
      `- **${text.labels.evidence}:**`,
      ...lesson.evidence.map((evidence) => evidenceLine(evidence, events, text)),
    );
  lines.push("");
  return lines;
}

/**
 * Compiles the guide for opening the next centre, as Markdown: only validated, unarchived lessons, grouped
 * by theme (in `LessonTheme` order) then by type (in `LessonType` order), and within a type by period then
 * title, so the same lessons always give the same text. Each lesson shows its title, its statement as one
 * sentence, its period, contributor groups, CHS 2024 commitments with their short titles, and its evidence
 * with strength (an event cited by id shows its title and dates when `events` holds it). All user text is
 * escaped: a lesson cannot add headings, links, images or HTML to the guide.
 *
 * @example
 * lessonsGuideMarkdown(lessons, { centreName: "La Halte de Jour", events });
 * // "# Opening a day centre: lessons from La Halte de Jour\n\n…\n## Preparation\n\n### Success factors\n\n#### …"
 */
export function lessonsGuideMarkdown(lessons: readonly Lesson[], options: LessonsGuideOptions): string {
  const language = options.language ?? "en";
  const text = lessonsGuideText(language);
  const events = new Map((options.events ?? []).map((event) => [event.id, event]));
  const outline = lessonsGuideOutline(lessons, language);
  const title = options.title ?? text.title(options.centreName);
  const lines = [`# ${inline(title)}`, ""];
  const count = outline.reduce(
    (sum, section) => sum + section.types.reduce((n, group) => n + group.lessons.length, 0),
    0,
  );
  if (count === 0) {
    lines.push(text.noLessons(inline(options.centreName)), "");
    return lines.join("\n");
  }
  lines.push(text.introduction(count, inline(options.centreName)), "");
  for (const section of outline) {
    lines.push(`## ${section.title}`, "");
    for (const group of section.types) {
      lines.push(`### ${group.title}`, "");
      for (const lesson of group.lessons) lines.push(...lessonSection(lesson, events, text, language));
    }
  }
  return lines.join("\n");
}

/** One theme of the guide: its title, and its lessons grouped by type. */
export interface LessonsGuideSection {
  readonly theme: LessonTheme;
  readonly title: string;
  readonly types: readonly {
    readonly type: LessonType;
    readonly title: string;
    readonly lessons: Lesson[];
  }[];
}

/**
 * The guide's order, shared by every rendering (Markdown, HTML): validated, unarchived lessons grouped by
 * theme (in `LessonTheme` order) then type (in `LessonType` order), within a type by period then title
 * then id. Empty themes and types are left out. Headings are in `language` (English by default).
 *
 * @example
 * lessonsGuideOutline(lessons)[0]; // { theme: "preparation", title: "Preparation", types: [{ type: "success_factor", … }] }
 */
export function lessonsGuideOutline(
  lessons: readonly Lesson[],
  language: GuideLanguage = "en",
): LessonsGuideSection[] {
  const text = lessonsGuideText(language);
  const validated = lessons.filter((lesson) => lesson.status === "validated" && lesson.archivedAt === null);
  const sections: LessonsGuideSection[] = [];
  for (const theme of LessonTheme.options) {
    const inTheme = validated.filter((lesson) => lesson.theme === theme);
    if (inTheme.length === 0) continue;
    const types = LessonType.options
      .map((type) => ({
        type,
        title: text.types[type],
        lessons: inTheme.filter((lesson) => lesson.type === type).sort(byPeriodThenTitle),
      }))
      .filter((group) => group.lessons.length > 0);
    sections.push({ theme, title: text.themes[theme], types });
  }
  return sections;
}
