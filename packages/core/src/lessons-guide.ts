import type { Event } from "./event.js";
import {
  type ContributorGroup,
  type EvidenceStrength,
  formatLessonStatement,
  type Lesson,
  LessonTheme,
  LessonType,
} from "./lesson.js";

/**
 * The Core Humanitarian Standard (2024) commitments, by number, with short titles for print. Each title
 * condenses the commitment's full sentence ("People and communities …").
 */
export const CHS_COMMITMENT_TITLES: Readonly<Record<number, string>> = {
  1: "Rights and participation",
  2: "Timely and effective support",
  3: "Preparedness and resilience",
  4: "Support that does no harm",
  5: "Safe complaints, addressed",
  6: "Coordinated, complementary support",
  7: "Learning and adaptation",
  8: "Respectful, competent, well-managed staff",
  9: "Ethical, responsible use of resources",
};

const THEME_TITLES: Readonly<Record<LessonTheme, string>> = {
  preparation: "Preparation",
  coordination: "Coordination between organisations",
  resources: "Resources",
  support_to_needs: "Support to needs",
  partnership_network: "Partnership network",
  premises_logistics: "Premises and logistics",
  staff_volunteers: "Staff and volunteers",
  neighbour_relations: "Relations with neighbours",
  advocacy: "Advocacy",
};

const TYPE_TITLES: Readonly<Record<LessonType, string>> = {
  success_factor: "Success factors",
  critical_point: "Critical points",
  good_practice: "Good practices",
  recommendation: "Recommendations",
  challenge: "Challenges",
};

const CONTRIBUTOR_LABELS: Readonly<Record<ContributorGroup, string>> = {
  centre_team: "centre team",
  partners: "partners",
  people_assisted: "people assisted",
  local_residents: "local residents",
  institutions: "institutions",
};

const EVIDENCE_KIND_LABELS = { figure: "Figure", report: "Report", event: "Event" } as const;
const STRENGTH_LABELS: Readonly<Record<EvidenceStrength, string>> = {
  weak: "weak",
  moderate: "moderate",
  strong: "strong",
};

export interface LessonsGuideOptions {
  /** The centre the lessons come from, named in the title and introduction. */
  readonly centreName: string;
  /** Replaces the default title "Opening a day centre: lessons from {centreName}". */
  readonly title?: string;
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

function evidenceLine(evidence: Lesson["evidence"][number], events: ReadonlyMap<string, Event>): string {
  const head = `${EVIDENCE_KIND_LABELS[evidence.kind]} (${STRENGTH_LABELS[evidence.strength]} evidence)`;
  const event = evidence.kind === "event" ? events.get(evidence.reference) : undefined;
  const source = event
    ? `${inline(event.title)}, ${event.startsOn}${event.endsOn && event.endsOn !== event.startsOn ? ` to ${event.endsOn}` : ""}`
    : `\`${evidence.reference.replace(/\s+/g, " ").replaceAll("`", "'")}\``;
  return `  - ${head}: ${inline(evidence.description)} (source: ${source})`;
}

function lessonSection(lesson: Lesson, events: ReadonlyMap<string, Event>): string[] {
  const commitments = [...lesson.chsCommitments]
    .sort((a, b) => a - b)
    .map((n) => `${n}. ${CHS_COMMITMENT_TITLES[n] ?? "Unknown commitment"}`)
    .join("; ");
  const period =
    lesson.periodStart === lesson.periodEnd
      ? lesson.periodStart
      : `${lesson.periodStart} to ${lesson.periodEnd}`;
  const lines = [
    `#### ${inline(lesson.title)}`,
    "",
    inline(formatLessonStatement(lesson.statement)),
    "",
    `- **Period:** ${period}`,
    `- **Contributors:** ${lesson.contributors.map((group) => CONTRIBUTOR_LABELS[group]).join(", ")}`,
    `- **CHS commitments:** ${commitments === "" ? "none named" : commitments}`,
  ];
  if (lesson.evidence.length === 0) lines.push("- **Evidence:** none recorded");
  else lines.push("- **Evidence:**", ...lesson.evidence.map((evidence) => evidenceLine(evidence, events)));
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
  const events = new Map((options.events ?? []).map((event) => [event.id, event]));
  const validated = lessons.filter((lesson) => lesson.status === "validated" && lesson.archivedAt === null);
  const title = options.title ?? `Opening a day centre: lessons from ${options.centreName}`;
  const lines = [`# ${inline(title)}`, ""];
  if (validated.length === 0) {
    lines.push(`No validated lessons from ${inline(options.centreName)} yet.`, "");
    return lines.join("\n");
  }
  const count = validated.length === 1 ? "1 validated lesson" : `${validated.length} validated lessons`;
  lines.push(
    `${count} from ${inline(options.centreName)}, grouped by theme and type. Each lesson reads: in the ` +
      "context of …, when …, the result was … because …; therefore ….",
    "",
  );
  for (const section of lessonsGuideOutline(validated)) {
    lines.push(`## ${section.title}`, "");
    for (const group of section.types) {
      lines.push(`### ${group.title}`, "");
      for (const lesson of group.lessons) lines.push(...lessonSection(lesson, events));
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
 * then id. Empty themes and types are left out.
 *
 * @example
 * lessonsGuideOutline(lessons)[0]; // { theme: "preparation", title: "Preparation", types: [{ type: "success_factor", … }] }
 */
export function lessonsGuideOutline(lessons: readonly Lesson[]): LessonsGuideSection[] {
  const validated = lessons.filter((lesson) => lesson.status === "validated" && lesson.archivedAt === null);
  const sections: LessonsGuideSection[] = [];
  for (const theme of LessonTheme.options) {
    const inTheme = validated.filter((lesson) => lesson.theme === theme);
    if (inTheme.length === 0) continue;
    const types = LessonType.options
      .map((type) => ({
        type,
        title: TYPE_TITLES[type],
        lessons: inTheme.filter((lesson) => lesson.type === type).sort(byPeriodThenTitle),
      }))
      .filter((group) => group.lessons.length > 0);
    sections.push({ theme, title: THEME_TITLES[theme], types });
  }
  return sections;
}

/** Labels the guide prints for contributor groups, evidence kinds and strengths (shared by its renderings). */
export const LESSONS_GUIDE_LABELS = {
  contributors: CONTRIBUTOR_LABELS,
  evidenceKinds: EVIDENCE_KIND_LABELS,
  strengths: STRENGTH_LABELS,
} as const;
