import { fill, type StaffLocale } from "../locales.js";

// The door's ticket queues (their own chunk, loaded only where a service hands out tickets).
const fr = {
  title: "File d'attente · {name}",
  take: "Donner un ticket",
  taken: "Ticket {label}",
  callNext: "Appeler le suivant : {label}",
  nobodyWaiting: "Personne n'attend",
  waiting: "{count} en attente",
  lastCalled: "dernier appelé : {label}",
  takenAt: "pris à {time}",
  about: "environ {minutes} min",
  left: "Parti",
  leftLabel: "Parti : annuler {label}",
  noShow: "Absent",
  noShowLabel: "Absent : annuler {label}, personne n'a répondu",
  waitingList: "Tickets en attente, dans l'ordre",
  needPrefix: "Connectez cet appareil une fois pour recevoir sa lettre de tickets.",
} as const;

export type DoorTicketMessages = Record<keyof typeof fr, string>;

const en: DoorTicketMessages = {
  title: "Queue · {name}",
  take: "Give a ticket",
  taken: "Ticket {label}",
  callNext: "Call the next: {label}",
  nobodyWaiting: "Nobody is waiting",
  waiting: "{count} waiting",
  lastCalled: "last called: {label}",
  takenAt: "taken at {time}",
  about: "about {minutes} min",
  left: "Left",
  leftLabel: "Left: cancel {label}",
  noShow: "No show",
  noShowLabel: "No show: cancel {label}, nobody answered",
  waitingList: "Waiting tickets, in order",
  needPrefix: "Connect this device once to get its ticket letter.",
};

const catalogues: Record<StaffLocale, DoorTicketMessages> = { fr, en };

/** A translator for the door's ticket queues. */
export function doorTicketTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof DoorTicketMessages, values?: Record<string, string | number>) =>
    fill(messages[key], values);
}
