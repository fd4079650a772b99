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
  "This partner is archived; archived records are kept as they were":
    "Ce partenaire est archivé ; les fiches archivées restent telles quelles",
  "The referral changed meanwhile; read it again and retry":
    "L'orientation a changé entre-temps : rechargez-la et réessayez",
};

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
 * codes. A French page never shows the API's English: a detail without a French text is left out (the
 * translated title says what happened).
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
            message: fieldMessages[locale][error.code] ?? fieldMessages[locale].invalid ?? error.message,
          })),
        }
      : {}),
  } as P;
}
