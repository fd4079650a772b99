import { fill, type StaffLocale } from "../locales.js";

// The network view, French first: English has the same keys.
const fr = {
  title: "Réseau de partenaires",
  intro:
    "Le centre au cœur de son réseau : quels partenaires assurent quels services sur place, et vers qui le centre oriente les personnes en {year}, jusqu'à aujourd'hui (les chiffres protégés couvrent des périodes entières : l'année civile, {from} – {to}).",
  hub: "{centre} (le centre)",
  matrixCaption: "Partenaires : services assurés au centre et orientations reçues, par statut actuel",
  partner: "Partenaire",
  services: "Services au centre",
  referrals: "Orientations reçues",
  noServices: "aucun",
  noPartners: "Aucun partenaire pour ce centre.",
  byStatusMissing:
    "Le détail partenaire × statut n'est pas encore publié par l'API : seul le total par partenaire est montré.",
  protectedNote:
    "Chiffres protégés : un effectif de 1 à {max} n'apparaît jamais (il s'affiche 0 ou {k}) ; les autres peuvent s'écarter du chiffre réel de ±{noise} au plus ; les mêmes orientations donnent toujours le même chiffre.",
  suppressedTitle: "Masqué : trop peu d'orientations pour être publié",
  loadError: "Impossible de charger le réseau : {detail}",
  export: "Exporter les orientations en CSV",
  exportHxl: "Exporter en CSV avec HXL",
  centre: "Centre",
  unsuppressed: "Chiffres exacts (vue interne)",
  unsuppressedBanner:
    "Vue interne : chiffres exacts, non protégés, de l'année en cours. Ne pas diffuser ; les exports restent protégés.",
  suppressedNote:
    "« masqué » : moins de {k} orientations dans cette case ; le chiffre n'est pas publié, car il pourrait désigner des personnes. La coordination voit les chiffres exacts dans la vue interne.",
} as const;

export type NetworkMessages = Record<keyof typeof fr, string>;

const en: NetworkMessages = {
  title: "Partner network",
  intro:
    "The centre at the hub of its network: which partners provide which services on site, and where the centre refers people in {year}, so far (protected figures cover whole periods: the calendar year, {from} – {to}).",
  hub: "{centre} (the centre)",
  matrixCaption: "Partners: services provided at the centre and referrals received, by current status",
  partner: "Partner",
  services: "Services at the centre",
  referrals: "Referrals received",
  noServices: "none",
  noPartners: "No partner for this centre.",
  byStatusMissing:
    "The partner × status breakdown is not published by the API yet: only each partner's total is shown.",
  protectedNote:
    "Protected figures: a count from 1 to {max} never appears (it reads 0 or {k}); other counts may differ from the true figure by up to ±{noise}; the same referrals always give the same figure.",
  suppressedTitle: "Suppressed: too few referrals to publish",
  loadError: "Could not load the network: {detail}",
  export: "Export the referrals as CSV",
  exportHxl: "Export as CSV with HXL",
  centre: "Centre",
  unsuppressed: "Exact figures (internal view)",
  unsuppressedBanner:
    "Internal view: exact figures, not protected, for the year so far. Do not share; exports stay protected.",
  suppressedNote:
    "“suppressed”: fewer than {k} referrals in that cell; the count is not published because it could point to people. Coordinators see exact figures in the internal view.",
};

const catalogues: Record<StaffLocale, NetworkMessages> = { fr, en };

/** A translator for the network view. */
export function networkTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof NetworkMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
