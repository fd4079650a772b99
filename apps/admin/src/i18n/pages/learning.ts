import { fill, type StaffLocale } from "../locales.js";

// The dashboards' panel on listening and learning (feedback, lessons) and the people an event concerned.
const fr = {
  title: "Écoute et apprentissage",
  chs5: "Engagement 5 de la CHS 2024 : les plaintes sont bienvenues et traitées.",
  feedback: "Avis des personnes accueillies",
  feedbackCounts: "{total} reçus : {pending} à modérer, {approved} approuvés, {rejected} refusés.",
  feedbackNone: "Aucun avis reçu pour l'instant.",
  lessonsByTheme: "Leçons par thème et par relecture",
  lessonsByChs: "Leçons par engagement de la CHS 2024",
  theme: "Thème",
  commitment: "Engagement",
  draft: "brouillon",
  reviewed: "relues",
  validated: "validées",
  total: "total",
  noLessons: "Aucune leçon pour l'instant.",
  loadError: "Chargement impossible : {detail}",
  people: "{people} pers.",
  peopleVulnerable: "{people} pers., dont {vulnerable} vulnérables",
} as const;

export type LearningMessages = Record<keyof typeof fr, string>;

const en: LearningMessages = {
  title: "Listening and learning",
  chs5: "CHS 2024 commitment 5: complaints are welcomed and addressed.",
  feedback: "Feedback from the people assisted",
  feedbackCounts: "{total} received: {pending} to moderate, {approved} approved, {rejected} rejected.",
  feedbackNone: "No feedback received yet.",
  lessonsByTheme: "Lessons by theme and review status",
  lessonsByChs: "Lessons by CHS 2024 commitment",
  theme: "Theme",
  commitment: "Commitment",
  draft: "draft",
  reviewed: "reviewed",
  validated: "validated",
  total: "total",
  noLessons: "No lessons yet.",
  loadError: "Could not load: {detail}",
  people: "{people} people",
  peopleVulnerable: "{people} people, {vulnerable} vulnerable",
};

const catalogues: Record<StaffLocale, LearningMessages> = { fr, en };

export function learningTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof LearningMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
export type LearningT = ReturnType<typeof learningTranslator>;
