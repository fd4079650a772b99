import { fill, type StaffLocale } from "../locales.js";

// The staff accounts page, French first: English has the same keys.
const fr = {
  title: "Comptes du personnel",
  caption: "Comptes",
  name: "Nom",
  email: "Adresse e-mail",
  role: "Rôle",
  centre: "Centre",
  partner: "Organisation partenaire",
  state: "État",
  active: "actif",
  disabled: "désactivé le {at}",
  disable: "Désactiver",
  disableNamed: "Désactiver {name}",
  disabledDone: "Compte de {name} désactivé : ses sessions sont fermées.",
  disableConfirm:
    "Désactiver le compte de {name} ? Ses sessions seront fermées et il ne pourra plus se connecter, jusqu'à ce qu'on le réactive.",
  enable: "Réactiver",
  enableNamed: "Réactiver {name}",
  enabledDone: "Compte de {name} réactivé : il peut se connecter de nouveau.",
  you: "vous",
  allCentres: "tous les centres",
  none: "–",
  create: "Créer un compte",
  password: "Mot de passe initial (12 caractères au moins)",
  submit: "Créer le compte",
  saving: "Création…",
  created: "Compte de {name} créé.",
  failed: "Échec : {detail}",
  fixErrors: "Certains champs ne sont pas valides : voir les messages à côté.",
  more: "Afficher plus",
  roleAdmin: "administration",
  roleCoordinator: "coordination",
  roleReception: "accueil",
  rolePartner: "partenaire",
  roleObserver: "observation",
} as const;

export type UsersMessages = Record<keyof typeof fr, string>;

const en: UsersMessages = {
  title: "Staff accounts",
  caption: "Accounts",
  name: "Name",
  email: "Email address",
  role: "Role",
  centre: "Centre",
  partner: "Partner organisation",
  state: "State",
  active: "active",
  disabled: "disabled on {at}",
  disable: "Disable",
  disableNamed: "Disable {name}",
  disabledDone: "{name}'s account disabled: their sessions are closed.",
  disableConfirm:
    "Disable {name}'s account? Their sessions end and they cannot sign in until the account is re-enabled.",
  enable: "Re-enable",
  enableNamed: "Re-enable {name}",
  enabledDone: "{name}'s account re-enabled: they can sign in again.",
  you: "you",
  allCentres: "every centre",
  none: "–",
  create: "Create an account",
  password: "Initial password (at least 12 characters)",
  submit: "Create the account",
  saving: "Creating…",
  created: "Account of {name} created.",
  failed: "Failed: {detail}",
  fixErrors: "Some fields are not valid: see the messages beside them.",
  more: "Show more",
  roleAdmin: "admin",
  roleCoordinator: "coordinator",
  roleReception: "reception",
  rolePartner: "partner",
  roleObserver: "observer",
};

const catalogues: Record<StaffLocale, UsersMessages> = { fr, en };

/** A translator for the staff accounts page. */
export function usersTranslator(locale: StaffLocale) {
  const messages = catalogues[locale];
  return (key: keyof UsersMessages, values?: Record<string, string | number>) => fill(messages[key], values);
}
