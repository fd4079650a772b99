import { fill, type StaffLocale } from "../locales.js";

// The context events page and the feedback moderation page, French first: English has the same keys.
const fr = {
  title: "Événements de contexte",
  intro:
    "Les événements que les tableaux de bord annotent et que les leçons citent : une évacuation de campement, une fermeture, une vague de froid, un afflux.",
  none: "Aucun événement enregistré.",
  add: "Enregistrer un événement",
  editTitle: "Modifier l'événement « {title} »",
  kind: "Nature",
  eventTitle: "Titre",
  description: "Description (facultatif)",
  startsOn: "Premier jour",
  endsOn: "Dernier jour (facultatif)",
  peopleConcerned: "Personnes concernées (facultatif)",
  vulnerableConcerned: "dont personnes vulnérables (facultatif)",
  save: "Enregistrer",
  cancel: "Annuler",
  edit: "Modifier",
  archive: "Archiver",
  archiveConfirm: "Archiver l'événement « {title} » ? Les leçons qui le citent le gardent.",
  saved: "Événement « {title} » enregistré.",
  archived: "Événement « {title} » archivé.",
  failed: "Échec : {detail}",
  fixErrors: "Certains champs ne sont pas valides : voir les messages à côté.",
  people: "{people} personnes concernées",
  peopleVulnerable: "{people} personnes concernées, dont {vulnerable} vulnérables",
  kind_camp_evacuation: "évacuation de campement",
  kind_closure: "fermeture",
  kind_weather: "météo",
  kind_surge: "afflux",
  kind_policy_change: "changement de politique",
  kind_incident: "incident",
  kind_other: "autre",
  feedbackTitle: "Avis des personnes accueillies",
  feedbackIntro:
    "Les avis laissés sans compte sur l'annuaire public (engagement 5 de la CHS 2024 : les plaintes sont bienvenues et traitées). Un avis approuvé peut servir de preuve à une leçon ; aucun n'est publié.",
  feedbackNone: "Aucun avis dans cette liste.",
  feedbackPending: "À modérer",
  feedbackApproved: "Approuvés",
  feedbackRejected: "Refusés",
  approve: "Approuver",
  reject: "Refuser",
  approvedNotice: "Avis approuvé : il peut maintenant servir de preuve à une leçon.",
  rejectedNotice: "Avis refusé.",
  feedbackMeta: "{date} · en {language}",
  feedbackTheme: "thème : {theme}",
  feedbackCleared: "Texte effacé : reçu avant la durée de conservation du centre.",
} as const;

export type EventsMessages = Record<keyof typeof fr, string>;

const en: EventsMessages = {
  title: "Context events",
  intro:
    "The events the dashboards annotate and lessons cite: a camp evacuation, a closure, a cold snap, a surge of arrivals.",
  none: "No event recorded.",
  add: "Record an event",
  editTitle: "Edit the event “{title}”",
  kind: "Kind",
  eventTitle: "Title",
  description: "Description (optional)",
  startsOn: "First day",
  endsOn: "Last day (optional)",
  peopleConcerned: "People concerned (optional)",
  vulnerableConcerned: "of them vulnerable (optional)",
  save: "Save",
  cancel: "Cancel",
  edit: "Edit",
  archive: "Archive",
  archiveConfirm: "Archive the event “{title}”? Lessons citing it keep it.",
  saved: "Event “{title}” saved.",
  archived: "Event “{title}” archived.",
  failed: "Failed: {detail}",
  fixErrors: "Some fields are not valid: see the messages beside them.",
  people: "{people} people concerned",
  peopleVulnerable: "{people} people concerned, {vulnerable} of them vulnerable",
  kind_camp_evacuation: "camp evacuation",
  kind_closure: "closure",
  kind_weather: "weather",
  kind_surge: "surge of arrivals",
  kind_policy_change: "policy change",
  kind_incident: "incident",
  kind_other: "other",
  feedbackTitle: "Feedback from the people assisted",
  feedbackIntro:
    "What people left without an account on the public directory (CHS 2024 commitment 5: complaints are welcomed and addressed). Approved feedback may back a lesson; none is published.",
  feedbackNone: "No feedback in this list.",
  feedbackPending: "To moderate",
  feedbackApproved: "Approved",
  feedbackRejected: "Rejected",
  approve: "Approve",
  reject: "Reject",
  approvedNotice: "Feedback approved: it may now back a lesson.",
  rejectedNotice: "Feedback rejected.",
  feedbackMeta: "{date} · in {language}",
  feedbackTheme: "theme: {theme}",
  feedbackCleared: "Text cleared: received before the centre's retention period.",
};

const catalogues: Record<StaffLocale, EventsMessages> = { fr, en };

/** A translator for the context events and feedback pages. */
export function eventsTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof EventsMessages, values?: Record<string, string | number>) => fill(messages[key], values);
}
export type EventsT = ReturnType<typeof eventsTranslator>;
