import { fill, type StaffLocale } from "../locales.js";

// The door page's visitor card code field and service chips (the rest of its strings live in staff-fr.ts).
const fr = {
  servicesHint: "Touchez les services que la personne utilise : ils partent avec la prochaine arrivée.",
  serviceChip: "{name} · {uses} aujourd'hui",
  serviceChipRemaining: "{name} · {uses} aujourd'hui · reste {remaining}",
  cardCode: "Code de carte visiteur (facultatif)",
  cardCodeHint:
    "Tapez ou scannez le code, puis Entrée ou le grand bouton. Il est effacé après chaque arrivée.",
} as const;

export type DoorCardMessages = Record<keyof typeof fr, string>;

const en: DoorCardMessages = {
  servicesHint: "Tap the services the person uses: they go with the next arrival.",
  serviceChip: "{name} · {uses} today",
  serviceChipRemaining: "{name} · {uses} today · {remaining} left",
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
