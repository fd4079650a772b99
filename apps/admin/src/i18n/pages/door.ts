import { fill, type StaffLocale } from "../locales.js";

// The door page's visitor card code field, service chips and undo (the rest of its strings live in staff-fr.ts).
const fr = {
  servicesHint: "Touchez les services que la personne utilise : ils partent avec la prochaine arrivée.",
  serviceChip: "{name} · {uses} aujourd'hui",
  serviceChipRemaining: "{name} · {uses} aujourd'hui · reste {remaining}",
  serviceClosed: "{name} · fermé",
  serviceFull: "{name} · complet · {uses} aujourd'hui",
  plusOneLabel: "+1 {name} (personne déjà entrée)",
  useRecorded: "{name} : {count} aujourd'hui",
  undo: "Annuler le dernier geste",
  undoArrival: "Annuler : arrivée de {time}",
  undoUse: "Annuler : {name} de {time}",
  undone: "Annulé. {count} arrivées aujourd'hui.",
  undoOffline: "Déjà envoyé : annulez quand le réseau revient.",
  undoRefused: "Le serveur a refusé l'annulation (10 minutes au plus, depuis cet appareil).",
  languagesTitle: "Langues de l'accueil",
  languagesHint: "Les langues que l'accueil peut cocher pour une arrivée, dans cet ordre.",
  languagesSave: "Enregistrer les langues",
  languagesSaved: "Langues de l'accueil enregistrées.",
  deviceTitle: "Cet appareil",
  deviceIs: "Cet appareil enregistre à l'accueil en tant que « {name} », même hors ligne ou onglet fermé.",
  deviceName: "Nom de l'appareil",
  deviceSetUp: "Faire de cet appareil un poste d'accueil",
  deviceHint:
    "Il enregistrera les arrivées de ce centre sans session, toute la journée, même hors ligne. Révocable depuis la page des comptes.",
  cardCode: "Code de carte visiteur (facultatif)",
  cardCodeHint:
    "Tapez ou scannez le code, puis Entrée ou le grand bouton. Il est effacé après chaque arrivée.",
} as const;

export type DoorCardMessages = Record<keyof typeof fr, string>;

const en: DoorCardMessages = {
  servicesHint: "Tap the services the person uses: they go with the next arrival.",
  serviceChip: "{name} · {uses} today",
  serviceChipRemaining: "{name} · {uses} today · {remaining} left",
  serviceClosed: "{name} · closed",
  serviceFull: "{name} · full · {uses} today",
  plusOneLabel: "+1 {name} (someone already inside)",
  useRecorded: "{name}: {count} today",
  undo: "Undo the last tap",
  undoArrival: "Undo: arrival at {time}",
  undoUse: "Undo: {name} at {time}",
  undone: "Undone. {count} arrivals today.",
  undoOffline: "Already sent: undo when the network is back.",
  undoRefused: "The server refused the undo (10 minutes at most, from this device).",
  languagesTitle: "Door languages",
  languagesHint: "The languages reception can tick for an arrival, in this order.",
  languagesSave: "Save the languages",
  languagesSaved: "Door languages saved.",
  deviceTitle: "This device",
  deviceIs: "This device records at the door as “{name}”, offline and through closed tabs too.",
  deviceName: "Device name",
  deviceSetUp: "Set up this device as a door",
  deviceHint:
    "It will record this centre's arrivals without a session, all day, offline too. Revoke it from the users page.",
  cardCode: "Visitor card code (optional)",
  cardCodeHint: "Type or scan the code, then Enter or the big button. It is cleared after each arrival.",
};

const catalogues: Record<StaffLocale, DoorCardMessages> = { fr, en };

/** A translator for the door page's card code field. */
export function doorCardTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof DoorCardMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
