import { fill, type StaffLocale } from "../locales.js";

// The scheduled jobs page (admins of every centre), French first: English has the same keys.
const fr = {
  title: "Tâches planifiées",
  intro:
    "Le cumul des passages en chiffres par jour tourne toutes les 15 minutes, la purge de conservation chaque nuit. Les tableaux de bord lisent ces cumuls.",
  runRollup: "Lancer le cumul maintenant",
  running: "Cumul en cours…",
  rollupDone: "Cumul fait : {days} jour(s) recalculé(s) à partir de {rows} enregistrement(s), en {ms} ms.",
  rollupCaption: "Derniers cumuls",
  purgeCaption: "Dernières purges de conservation",
  startedAt: "Début",
  centre: "Centre",
  everyCentre: "Tous les centres / données partagées",
  window: "Fenêtre",
  daysRolled: "Jours recalculés",
  rowsRead: "Enregistrements lus",
  duration: "Durée (ms)",
  status: "État",
  statusSucceeded: "Réussie",
  statusFailed: "Échec ({kind}), nouvel essai prévu",
  statusDeadLettered: "Abandonnée après les nouveaux essais",
  failedCentres: "{count} centre(s) en échec : voir l'état des cumuls ci-dessous.",
  none: "Aucune exécution pour l'instant.",
  loading: "Chargement…",
  loadError: "Impossible de charger les tâches : {detail}",
} as const;

export type JobsMessages = Record<keyof typeof fr, string>;

const en: JobsMessages = {
  title: "Scheduled jobs",
  intro:
    "The roll-up of visits into day figures runs every 15 minutes, the retention purge every night. The dashboards read these roll-ups.",
  runRollup: "Run the roll-up now",
  running: "Rolling up…",
  rollupDone: "Roll-up done: {days} day(s) re-rolled from {rows} row(s) in {ms} ms.",
  rollupCaption: "Latest roll-ups",
  purgeCaption: "Latest retention purges",
  startedAt: "Started",
  centre: "Centre",
  everyCentre: "Every centre / shared data",
  window: "Window",
  daysRolled: "Days re-rolled",
  rowsRead: "Rows read",
  duration: "Duration (ms)",
  status: "Status",
  statusSucceeded: "Succeeded",
  statusFailed: "Failed ({kind}), to be retried",
  statusDeadLettered: "Given up after its retries",
  failedCentres: "{count} centre(s) failed: see the roll-ups' status below.",
  none: "No run yet.",
  loading: "Loading…",
  loadError: "The jobs could not be loaded: {detail}",
};

const catalogues: Record<StaffLocale, JobsMessages> = { fr, en };

export function jobsTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof JobsMessages, values?: Record<string, string | number>) => fill(messages[key], values);
}
export type JobsT = ReturnType<typeof jobsTranslator>;
