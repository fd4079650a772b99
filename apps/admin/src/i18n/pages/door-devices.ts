import { fill, type StaffLocale } from "../locales.js";

// The users page's section on door devices (pages/users/door-devices.tsx).
const fr = {
  title: "Postes d'accueil (appareils)",
  intro:
    "Un coordinateur fait d'une tablette un poste d'accueil depuis la page Accueil. Révoquez-en un perdu ou remplacé : il est refusé dès sa requête suivante.",
  caption: "Postes d'accueil",
  name: "Nom",
  centre: "Centre",
  lastUsed: "Dernier usage",
  state: "État",
  never: "jamais",
  revoked: "révoqué le {at}",
  revoke: "Révoquer",
  revokeNamed: "Révoquer {name}",
  revokedDone: "{name} est révoqué.",
  none: "Aucun poste d'accueil.",
  failed: "Échec : {detail}",
} as const;

export type DoorDevicesMessages = Record<keyof typeof fr, string>;

const en: DoorDevicesMessages = {
  title: "Door devices",
  intro:
    "A coordinator makes a tablet a door from the Door page. Revoke one that is lost or replaced: it is refused from its next request.",
  caption: "Door devices",
  name: "Name",
  centre: "Centre",
  lastUsed: "Last used",
  state: "State",
  never: "never",
  revoked: "revoked on {at}",
  revoke: "Revoke",
  revokeNamed: "Revoke {name}",
  revokedDone: "{name} is revoked.",
  none: "No door device.",
  failed: "Failed: {detail}",
};

const catalogues: Record<StaffLocale, DoorDevicesMessages> = { fr, en };

export function doorDevicesTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof DoorDevicesMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
