import type {
  ContributorGroup,
  EvidenceKind,
  EvidenceStrength,
  GuideLanguage,
  LessonTheme,
  LessonType,
} from "./lesson.js";

// What the lessons guide prints that is not a contributor's words, in English and French: its own file so
// the guide's rendering (lessons-guide.ts) fits in a head.

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
