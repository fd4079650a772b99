import { fill, type StaffLocale } from "../locales.js";

// The door's ticket queues (their own chunk, loaded only where a service hands out tickets).
const fr = {
  title: "File d'attente · {name}",
  take: "Donner un ticket",
  taken: "Ticket {label}",
  callNext: "Appeler le suivant : {label}",
  nobodyWaiting: "Personne n'attend",
  called: "{label} appelé : {name} {count} aujourd'hui",
  waiting: "{count} en attente",
  lastCalled: "dernier appelé : {label}",
  takenAt: "pris à {time}",
  about: "environ {minutes} min",
  left: "Parti",
  leftLabel: "Annuler {label} : la personne est partie",
  noShow: "Absent",
  noShowLabel: "Annuler {label} : personne n'a répondu à l'appel",
  cancelled: "{label} annulé",
  waitingList: "Tickets en attente, dans l'ordre",
  needPrefix: "Connectez cet appareil une fois pour recevoir sa lettre de tickets.",
  pending: "en attente d'envoi",
} as const;

export type DoorTicketMessages = Record<keyof typeof fr, string>;

const en: DoorTicketMessages = {
  title: "Queue · {name}",
  take: "Give a ticket",
  taken: "Ticket {label}",
  callNext: "Call the next: {label}",
  nobodyWaiting: "Nobody is waiting",
  called: "{label} called: {name} {count} today",
  waiting: "{count} waiting",
  lastCalled: "last called: {label}",
  takenAt: "taken at {time}",
  about: "about {minutes} min",
  left: "Left",
  leftLabel: "Cancel {label}: the person left",
  noShow: "No show",
  noShowLabel: "Cancel {label}: nobody answered the call",
  cancelled: "{label} cancelled",
  waitingList: "Waiting tickets, in order",
  needPrefix: "Connect this device once to get its ticket letter.",
  pending: "not sent yet",
};

const catalogues: Record<StaffLocale, DoorTicketMessages> = { fr, en };

/** A translator for the door's ticket queues. */
export function doorTicketTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof DoorTicketMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
