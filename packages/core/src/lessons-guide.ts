import type { Event } from "./event.js";
import {
  type ContributorGroup,
  type EvidenceKind,
  type EvidenceStrength,
  formatLessonStatement,
  type GuideLanguage,
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

/**
 * The CHS 2024 commitments' short titles in French, as the French guide prints them: condensed like the
 * English ones, in our words, not the official French text of the standard.
 */
const CHS_COMMITMENT_TITLES_FR: Readonly<Record<number, string>> = {
  1: "Droits et participation",
  2: "Un soutien rapide et efficace",
  3: "Préparation et résilience",
  4: "Un soutien qui ne nuit pas",
  5: "Des plaintes sûres et traitées",
  6: "Un soutien coordonné et complémentaire",
  7: "Apprentissage et adaptation",
  8: "Un personnel respectueux, compétent et bien encadré",
  9: "Un usage éthique et responsable des ressources",
};

/** Everything the guide prints that is not a contributor's words, in one language. */
export interface LessonsGuideText {
  readonly commitments: Readonly<Record<number, string>>;
  readonly unknownCommitment: string;
  readonly themes: Readonly<Record<LessonTheme, string>>;
  readonly types: Readonly<Record<LessonType, string>>;
  readonly contributors: Readonly<Record<ContributorGroup, string>>;
  readonly evidenceKinds: Readonly<Record<EvidenceKind, string>>;
  /** The name of a figure's breakdown: `visits`, `firstVisits`, `uniqueVisitors`, `language:<code>`. */
  readonly figureName: (breakdown: string) => string;
  /** "Visits, period 202605: 1,234, published figure read on 2026-06-02"; a hidden cell says so. */
  readonly figureText: (name: string, period: string, value: number | null, publishedOn: string) => string;
  /** "1,609 people concerned, 75 of them vulnerable". */
  readonly peopleConcerned: (people: number, vulnerable: number | null) => string;
  readonly feedbackSource: string;
  /** "Figure (strong evidence)": the kind and the strength of one piece of evidence. */
  readonly evidenceHead: (kind: string, strength: EvidenceStrength) => string;
  readonly title: (centreName: string) => string;
  readonly noLessons: (centreName: string) => string;
  readonly introduction: (count: number, centreName: string) => string;
  readonly period: (start: string, end: string) => string;
  readonly source: string;
  readonly labels: {
    readonly period: string;
    readonly contributors: string;
    readonly commitments: string;
    readonly evidence: string;
    readonly noCommitment: string;
    readonly noEvidence: string;
  };
}

const STRENGTHS_EN: Readonly<Record<EvidenceStrength, string>> = {
  weak: "weak",
  moderate: "moderate",
  strong: "strong",
};
const STRENGTHS_FR: Readonly<Record<EvidenceStrength, string>> = {
  weak: "faible",
  moderate: "modérée",
  strong: "forte",
};

const GUIDE_TEXT: Readonly<Record<GuideLanguage, LessonsGuideText>> = {
  en: {
    commitments: CHS_COMMITMENT_TITLES,
    unknownCommitment: "Unknown commitment",
    themes: {
      preparation: "Preparation",
      coordination: "Coordination between organisations",
      resources: "Resources",
      support_to_needs: "Support to needs",
      partnership_network: "Partnership network",
      premises_logistics: "Premises and logistics",
      staff_volunteers: "Staff and volunteers",
      neighbour_relations: "Relations with neighbours",
      advocacy: "Advocacy",
    },
    types: {
      success_factor: "Success factors",
      critical_point: "Critical points",
      good_practice: "Good practices",
      recommendation: "Recommendations",
      challenge: "Challenges",
    },
    contributors: {
      centre_team: "centre team",
      partners: "partners",
      people_assisted: "people assisted",
      local_residents: "local residents",
      institutions: "institutions",
    },
    evidenceKinds: { figure: "Figure", report: "Report", event: "Event", feedback: "Feedback" },
    figureName: (breakdown) =>
      breakdown.startsWith("language:")
        ? `Visits by people speaking ${breakdown.slice(9)}`
        : ({ visits: "Visits", firstVisits: "First visits", uniqueVisitors: "Unique visitors" }[breakdown] ??
          breakdown),
    figureText: (name, period, value, publishedOn) =>
      `${name}, period ${period}: ${value === null ? "hidden by disclosure control" : count("en", value)}, ` +
      `published figure read on ${publishedOn}`,
    peopleConcerned: (people, vulnerable) =>
      `${count("en", people)} ${people === 1 ? "person" : "people"} concerned` +
      (vulnerable === null ? "" : `, ${count("en", vulnerable)} of them vulnerable`),
    feedbackSource: "moderated feedback from the people assisted",
    evidenceHead: (kind, strength) => `${kind} (${STRENGTHS_EN[strength]} evidence)`,
    title: (centreName) => `Opening a day centre: lessons from ${centreName}`,
    noLessons: (centreName) => `No validated lessons from ${centreName} yet.`,
    introduction: (count, centreName) =>
      `${count === 1 ? "1 validated lesson" : `${count} validated lessons`} from ${centreName}, grouped by ` +
      "theme and type. Each lesson reads: in the context of …, when …, the result was … because …; therefore ….",
    period: (start, end) => (start === end ? start : `${start} to ${end}`),
    source: "source",
    labels: {
      period: "Period",
      contributors: "Contributors",
      commitments: "CHS commitments",
      evidence: "Evidence",
      noCommitment: "none named",
      noEvidence: "none recorded",
    },
  },
  fr: {
    commitments: CHS_COMMITMENT_TITLES_FR,
    unknownCommitment: "Engagement inconnu",
    themes: {
      preparation: "Préparation",
      coordination: "Coordination entre organisations",
      resources: "Ressources",
      support_to_needs: "Réponse aux besoins",
      partnership_network: "Réseau partenarial",
      premises_logistics: "Locaux et logistique",
      staff_volunteers: "Salariés et bénévoles",
      neighbour_relations: "Relations avec le voisinage",
      advocacy: "Plaidoyer",
    },
    types: {
      success_factor: "Facteurs de réussite",
      critical_point: "Points critiques",
      good_practice: "Bonnes pratiques",
      recommendation: "Recommandations",
      challenge: "Difficultés",
    },
    contributors: {
      centre_team: "équipe du centre",
      partners: "partenaires",
      people_assisted: "personnes accueillies",
      local_residents: "riverains",
      institutions: "institutions",
    },
    evidenceKinds: { figure: "Chiffre", report: "Rapport", event: "Événement", feedback: "Avis" },
    figureName: (breakdown) =>
      breakdown.startsWith("language:")
        ? `Passages de personnes parlant ${breakdown.slice(9)}`
        : ({ visits: "Passages", firstVisits: "Premiers passages", uniqueVisitors: "Personnes distinctes" }[
            breakdown
          ] ?? breakdown),
    figureText: (name, period, value, publishedOn) =>
      `${name}, période ${period} : ${value === null ? "masqué par le contrôle de divulgation" : count("fr", value)}, ` +
      `chiffre publié lu le ${publishedOn}`,
    peopleConcerned: (people, vulnerable) =>
      `${count("fr", people)} ${people <= 1 ? "personne concernée" : "personnes concernées"}` +
      (vulnerable === null ? "" : `, dont ${count("fr", vulnerable)} vulnérables`),
    feedbackSource: "avis modéré des personnes accueillies",
    evidenceHead: (kind, strength) => `${kind} (preuve ${STRENGTHS_FR[strength]})`,
    title: (centreName) => `Ouvrir un accueil de jour : les enseignements de ${centreName}`,
    noLessons: (centreName) => `Pas encore d'enseignement validé pour ${centreName}.`,
    introduction: (count, centreName) =>
      `${count === 1 ? "1 enseignement validé" : `${count} enseignements validés`} de ${centreName}, par thème ` +
      "et par type. Chacun se lit : dans le contexte de …, lorsque …, le résultat a été … parce que … ; par " +
      "conséquent, ….",
    period: (start, end) => (start === end ? start : `du ${start} au ${end}`),
    source: "source",
    labels: {
      period: "Période",
      contributors: "Contributeurs",
      commitments: "Engagements CHS",
      evidence: "Preuves",
      noCommitment: "aucun",
      noEvidence: "aucune",
    },
  },
};

function count(language: GuideLanguage, value: number): string {
  return new Intl.NumberFormat(language === "fr" ? "fr-FR" : "en-GB").format(value);
}

/**
 * What the lessons guide prints around the contributors' words, in English or French: theme and type
 * headings, CHS commitment titles, labels, the title and introduction. Both renderings (Markdown, HTML)
 * read it, so they always say the same thing.
 *
 * @example
 * lessonsGuideText("fr").themes.preparation; // "Préparation"
 * lessonsGuideText("en").title("La Halte de Jour"); // "Opening a day centre: lessons from La Halte de Jour"
 */
export function lessonsGuideText(language: GuideLanguage = "en"): LessonsGuideText {
  return GUIDE_TEXT[language];
}

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
