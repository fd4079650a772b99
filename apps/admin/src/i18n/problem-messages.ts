// The API's refusals in the staff language. The API answers in English with stable codes (the problem's
// `code`, each field error's `code`, docs/api.md); pages show these messages instead of its English text.
import type { StaffLocale } from "./locales.js";

type ProblemCode =
  | "malformed_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "illegal_transition"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "internal"
  | "unavailable";

const titles: Record<StaffLocale, Record<ProblemCode, string>> = {
  fr: {
    malformed_request: "La demande n'a pas pu être lue",
    unauthenticated: "Connectez-vous d'abord",
    forbidden: "Votre rôle ne permet pas cette action",
    not_found: "Introuvable",
    method_not_allowed: "Action non permise",
    conflict: "En conflit avec l'état actuel",
    illegal_transition: "Ce changement de statut n'est pas permis",
    payload_too_large: "La demande est trop volumineuse",
    unsupported_media_type: "Format de demande non pris en charge",
    validation_failed: "Certains champs ne sont pas valides",
    rate_limited: "Trop de tentatives, réessayez plus tard",
    internal: "Une erreur est survenue de notre côté",
    unavailable: "Le service est momentanément indisponible",
  },
  en: {
    malformed_request: "The request could not be read",
    unauthenticated: "Sign in first",
    forbidden: "Your role does not allow this",
    not_found: "Not found",
    method_not_allowed: "Method not allowed",
    conflict: "Conflicts with the current state",
    illegal_transition: "This status change is not allowed",
    payload_too_large: "The request is too large",
    unsupported_media_type: "Unsupported content type",
    validation_failed: "Some fields are not valid",
    rate_limited: "Too many attempts, try again later",
    internal: "Something went wrong on our side",
    unavailable: "The service is temporarily unavailable",
  },
};

/** Field error codes (core's `FieldErrorCode`) as a person reads them next to the field. */
const fieldMessages: Record<StaffLocale, Record<string, string>> = {
  fr: {
    required: "Ce champ est obligatoire.",
    invalid_type: "Ce n'est pas le bon type de valeur.",
    invalid_format: "Le format n'est pas le bon.",
    invalid_value: "Cette valeur n'est pas acceptée.",
    too_small: "Trop court ou trop petit.",
    too_big: "Trop long ou trop grand.",
    unknown_field: "Ce champ n'est pas attendu.",
    off_grid: "Cette période ne suit pas la grille de publication des chiffres protégés.",
    invalid: "Cette valeur n'est pas valide.",
  },
  en: {
    required: "This field is required.",
    invalid_type: "This is not the right kind of value.",
    invalid_format: "The format is not right.",
    invalid_value: "This value is not accepted.",
    too_small: "Too short or too small.",
    too_big: "Too long or too large.",
    unknown_field: "This field is not expected.",
    off_grid: "This period is off the publication grid of protected figures.",
    invalid: "This value is not valid.",
  },
};

// The API's own details that staff meet on these pages, in French (English keeps the API's text).
const frenchDetails: Record<string, string> = {
  "Wrong email or password": "Adresse e-mail ou mot de passe incorrect",
  "The current password is wrong": "Le mot de passe actuel est incorrect",
  "No such centre": "Ce centre n'existe pas",
  "Unknown centre": "Centre inconnu",
  "Say which centre": "Indiquez le centre",
  "This centre is not yours": "Ce centre n'est pas le vôtre",
  "No such partner": "Ce partenaire n'existe pas",
  "No such service": "Ce service n'existe pas",
  "No such referral": "Cette orientation n'existe pas",
  "No such user": "Cet utilisateur n'existe pas",
  "No such lesson": "Cet enseignement n'existe pas",
  "No such event": "Cet événement n'existe pas",
  "No such record": "Cet enregistrement n'existe pas",
  "The provider is not a partner of this centre": "Ce partenaire n'est pas rattaché à ce centre",
  "The range ends before it starts": "La période finit avant de commencer",
  "You cannot disable your own account": "Vous ne pouvez pas désactiver votre propre compte",
  "The user's role and scope do not agree": "Le rôle et le périmètre de l'utilisateur ne concordent pas",
  "Missing or wrong x-csrf-token header": "Votre session a expiré : rechargez la page",
  "Only an admin of every centre (bound to none) may do this":
    "Seul un administrateur de tous les centres peut le faire",
  "This service is archived; archived records are kept as they were":
    "Ce service est archivé ; les fiches archivées restent telles quelles",
  "This is the partner's home centre; archive the partner to end its access":
    "C'est le centre d'origine du partenaire ; archivez le partenaire pour mettre fin à son accès",
  "This partner is not linked to that centre": "Ce partenaire n'est pas rattaché à ce centre",
  "This centre is archived; no partner can be linked to it":
    "Ce centre est archivé ; aucun partenaire ne peut y être rattaché",
  "This partner is archived; archived records are kept as they were":
    "Ce partenaire est archivé ; les fiches archivées restent telles quelles",
  "The referral changed meanwhile; read it again and retry":
    "L'orientation a changé entre-temps : rechargez-la et réessayez",
};

// Core's own rule messages (written for people, unlike zod's generic ones) in French. In English a field
// keeps such a message; any other message is replaced by the one of its code above.
const frenchRuleMessages: Record<string, string> = {
  "closesAt must be after opensAt": "La fermeture doit venir après l'ouverture",
  "Use HH:MM, from 00:00 to 23:59": "Écrivez HH:MM, de 00:00 à 23:59",
  "Use HH:MM, up to 24:00": "Écrivez HH:MM, jusqu'à 24:00",
  "Use an ISO 639 code such as 'fr' or 'prs'": "Un code ISO 639, par exemple « fr » ou « prs »",
  "Expected a calendar date YYYY-MM-DD": "Une date AAAA-MM-JJ",
  "Expected an IANA time zone such as Europe/Paris": "Un fuseau horaire IANA, par exemple Europe/Paris",
  "Use letters, digits, '_' or '-'": "Des lettres, des chiffres, « _ » ou « - »",
  "Use digits, spaces and an optional leading '+'":
    "Des chiffres, des espaces et un « + » au début si besoin",
  "Give at least a name, a phone or an email, or leave the contact out":
    "Donnez au moins un nom, un téléphone ou un e-mail, ou laissez le contact vide",
  "A contact detail can be kept only with consent that covers storing it":
    "Un contact ne peut être gardé qu'avec un consentement qui couvre sa conservation",
  "Record the person's consent before sending the referral":
    "Enregistrez le consentement de la personne avant d'envoyer l'orientation",
  "The period cannot end before it starts": "La période ne peut pas finir avant de commencer",
  "The end date cannot be before the start date": "La date de fin ne peut pas précéder la date de début",
  "List each commitment once": "Citez chaque engagement une seule fois",
  "A card code needs at least one letter or digit": "Un code de carte a au moins une lettre ou un chiffre",
  "The range must run forwards": "La période doit aller en avant",
  "The range must be exactly one day, ISO week, month, quarter or year":
    "La période doit être exactement un jour, une semaine ISO, un mois, un trimestre ou une année",
  "This is not a valid URL": "Ce n'est pas une adresse web valide",
  "Use an https:// URL": "Utilisez une adresse https://",
};

function fieldMessage(locale: StaffLocale, code: string, message: string): string {
  const rule = frenchRuleMessages[message];
  if (rule !== undefined) return locale === "fr" ? rule : message;
  return fieldMessages[locale][code] ?? fieldMessages[locale].invalid ?? message;
}

/** The shape every page reads (api.ts's `Problem`), kept structural so this module stays a leaf. */
interface LocalisableProblem {
  title: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: Array<{ path: Array<string | number>; code: string; message: string }>;
}

/**
 * A problem with its title, detail and field messages in the staff language, chosen by the API's stable
 * codes (a field message written for people by core's rules is kept, in French from the table above). A
 * French page never shows the API's English: a detail without a French text is left out (the translated
 * title says what happened).
 */
export function localiseProblem<P extends LocalisableProblem>(problem: P, locale: StaffLocale): P {
  const code = problem.code as ProblemCode | undefined;
  const title = code && code in titles[locale] ? titles[locale][code] : problem.title;
  const { detail: _detail, ...rest } = problem;
  const detail =
    problem.detail === undefined
      ? undefined
      : locale === "en"
        ? problem.detail
        : frenchDetails[problem.detail];
  return {
    ...rest,
    title,
    ...(detail === undefined ? {} : { detail }),
    ...(problem.errors
      ? {
          errors: problem.errors.map((error) => ({
            ...error,
            message: fieldMessage(locale, error.code, error.message),
          })),
        }
      : {}),
  } as P;
}
