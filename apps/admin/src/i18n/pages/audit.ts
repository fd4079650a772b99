import { fill, type StaffLocale } from "../locales.js";

// The audit log page, French first: English has the same keys.
const fr = {
  title: "Journal d'audit",
  intro:
    "Chaque écriture, la plus récente d'abord : qui, quoi, quand, et ce qui a changé (sans les champs personnels).",
  entity: "Type d'enregistrement",
  entityId: "Identifiant",
  any: "tous",
  apply: "Filtrer",
  caption: "Entrées du journal",
  at: "Quand",
  actor: "Qui",
  action: "Action",
  record: "Enregistrement",
  diff: "Changement",
  showDiff: "Voir le changement",
  noDiff: "–",
  none: "Aucune entrée.",
  more: "Entrées plus anciennes",
  system: "système",
  partnerToken: "jeton partenaire",
  loadError: "Impossible de charger le journal : {detail}",
} as const;

export type AuditMessages = Record<keyof typeof fr, string>;

const en: AuditMessages = {
  title: "Audit log",
  intro: "Every write, newest first: who, what, when, and what changed (without personal fields).",
  entity: "Record type",
  entityId: "Id",
  any: "any",
  apply: "Filter",
  caption: "Log entries",
  at: "When",
  actor: "Who",
  action: "Action",
  record: "Record",
  diff: "Change",
  showDiff: "Show the change",
  noDiff: "–",
  none: "No entry.",
  more: "Older entries",
  system: "system",
  partnerToken: "partner token",
  loadError: "Could not load the log: {detail}",
};

const catalogues: Record<StaffLocale, AuditMessages> = { fr, en };

/** A translator for the audit log page. */
export function auditTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof AuditMessages, values?: Record<string, string | number>) => fill(messages[key], values);
}
