import { z } from "zod";
import { DEFAULT_MAX_NOISE, MAX_MAX_NOISE } from "./cell-key.js";
import { Instant, LanguageCode, RecordMeta, text } from "./common.js";
import { Schedule } from "./schedule.js";

/** The smallest suppression threshold any centre may choose (DOMAIN.md: never below 3). */
export const MIN_DISCLOSURE_THRESHOLD = 3;
/** Default suppression threshold k: counts 1…k−1 are hidden. */
export const DEFAULT_DISCLOSURE_THRESHOLD = 5;
/** Default retention of personal data after last contact, in months (CNIL reference for social records). */
export const DEFAULT_RETENTION_MONTHS = 24;

/** What a coordinator sends to create or replace a centre. */
export const CentreInput = z.strictObject({
  name: text(200),
  /** URL-safe name used by the public directory (`/centres/halte-de-jour`). */
  slug: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens"),
  address: text(300).optional(),
  /** The centre's own opening hours; its `timeZone` is the centre's time zone for every period. */
  openingHours: Schedule,
  /** People per day the centre can welcome. */
  dailyCapacity: z.int().positive().max(100_000).optional(),
  /** Disclosure threshold k for shared figures: no count of 1…k−1 is ever published. */
  disclosureThreshold: z.int().min(MIN_DISCLOSURE_THRESHOLD).max(100).default(DEFAULT_DISCLOSURE_THRESHOLD),
  /** Largest noise the cell-key perturbation adds to a shared count of at least k (docs/disclosure.md). */
  perturbationMaxNoise: z.int().min(1).max(MAX_MAX_NOISE).default(DEFAULT_MAX_NOISE),
  /** Months after last contact before personal data is purged or anonymised. */
  retentionMonths: z.int().min(1).max(120).default(DEFAULT_RETENTION_MONTHS),
  /** Languages the public directory is offered in, beyond the built-in ones. */
  languages: z.array(LanguageCode).max(40).default([]),
  /**
   * The languages reception can tick at the door (any ISO 639 code, in the order shown). Empty: the door
   * offers French, English, Arabic, Dari, Pashto and Tigrinya ({@link DEFAULT_DOOR_LANGUAGES}).
   */
  doorLanguages: z.array(LanguageCode).max(40).default([]),
});
export type CentreInput = z.infer<typeof CentreInput>;

/** A stored centre. */
export const Centre = z.object({
  ...RecordMeta,
  ...CentreInput.shape,
  archivedAt: Instant.nullable(),
});
export type Centre = z.infer<typeof Centre>;

/** The door's languages when a centre has chosen none: those of the people the Halte de Jour serves most. */
export const DEFAULT_DOOR_LANGUAGES: readonly string[] = ["fr", "en", "ar", "prs", "ps", "ti"];

/**
 * The languages reception can tick at a centre's door: its own list, else {@link DEFAULT_DOOR_LANGUAGES}.
 *
 * @example
 * doorLanguagesOf({ doorLanguages: [] }); // ["fr", "en", "ar", "prs", "ps", "ti"]
 * doorLanguagesOf({ doorLanguages: ["fr", "so", "am"] }); // ["fr", "so", "am"]
 */
export function doorLanguagesOf(centre: Pick<Centre, "doorLanguages">): readonly string[] {
  return centre.doorLanguages.length > 0 ? centre.doorLanguages : DEFAULT_DOOR_LANGUAGES;
}

/** The time zone of a centre: the one its opening hours are written in. */
export function centreTimeZone(centre: Pick<Centre, "openingHours">): string {
  return centre.openingHours.timeZone;
}
