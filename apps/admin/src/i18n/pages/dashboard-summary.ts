import { fill, type StaffLocale } from "../locales.js";

// The dashboards' readable parts: the period at a glance, per-service totals, the chart's titles and
// legend, and what a hidden figure means. French first: English has the same keys.
const fr = {
  summaryTitle: "La période en bref : {from} – {to}",
  visitsTotal: "Passages sur la période",
  firstVisitsTotal: "Premières visites",
  byAgeBand: "Passages par tranche d'âge",
  byGender: "Passages par genre",
  byLanguage: "Passages par langue parlée (une personne peut en parler plusieurs)",
  group: "Groupe",
  share: "Part",
  gender_female: "femmes",
  gender_male: "hommes",
  gender_other: "autre",
  sumNote:
    "Les totaux additionnent le chiffre protégé de chaque période affichée : ils peuvent s'écarter un peu du compte exact.",
  hiddenLeftOut: "Certains chiffres de la période sont masqués : les totaux les laissent de côté.",
  hiddenExplained:
    "Un chiffre « masqué » n'est pas publié : trop peu de personnes (moins de {k}) pour le montrer sans risquer de les désigner, ou masqué pour qu'on ne puisse pas le retrouver à partir d'un total. Sur le graphique, un chiffre masqué est un trou, pas un zéro.",
  serviceTotals: "Utilisations par service sur la période",
  serviceTotalsByGroup: "Qui utilise chaque service sur la période : utilisations par âge et genre",
  perPeriodDetails: "Détail par période et par service",
  axisVisits: "Passages",
  axisPeriod: "Début de la période ({period})",
  legendVisits: "Passages par {period}",
  legendEvent: "Événement de contexte (trait pointillé)",
  legendGap: "Trou dans la courbe : chiffre masqué",
  autoPeriod: "Regroupé par semaine : plus lisible sur une période de plus de deux semaines.",
} as const;

export type DashboardSummaryMessages = Record<keyof typeof fr, string>;

const en: DashboardSummaryMessages = {
  summaryTitle: "The period at a glance: {from} – {to}",
  visitsTotal: "Visits in the period",
  firstVisitsTotal: "First visits",
  byAgeBand: "Visits by age band",
  byGender: "Visits by gender",
  byLanguage: "Visits by language spoken (a person may speak several)",
  group: "Group",
  share: "Share",
  gender_female: "women",
  gender_male: "men",
  gender_other: "other",
  sumNote:
    "Totals add up the protected figure of each period shown: they may differ a little from the exact count.",
  hiddenLeftOut: "Some figures of the period are hidden: the totals leave them out.",
  hiddenExplained:
    "A figure reading “suppressed” is not published: too few people (fewer than {k}) to show it without risking pointing at them, or hidden so that it cannot be worked out from a total. In the chart, a hidden figure is a gap, not a zero.",
  serviceTotals: "Uses per service over the period",
  serviceTotalsByGroup: "Who uses each service over the period: uses by age band and gender",
  perPeriodDetails: "Figures per period and service",
  axisVisits: "Visits",
  axisPeriod: "Start of the period ({period})",
  legendVisits: "Visits per {period}",
  legendEvent: "Context event (dashed line)",
  legendGap: "Gap in the line: hidden figure",
  autoPeriod: "Grouped by week: easier to read over more than two weeks.",
};

const catalogues: Record<StaffLocale, DashboardSummaryMessages> = { fr, en };

/** A translator for the dashboards' summary, totals, chart titles and legend. */
export function dashboardSummaryTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof DashboardSummaryMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
export type DashboardSummaryT = ReturnType<typeof dashboardSummaryTranslator>;
