import { z } from "zod";

/**
 * Shared building blocks of every record. Wire format conventions, fixed here once:
 * - ids are opaque strings made by the caller (core never invents one);
 * - instants are ISO 8601 strings with an offset (`2026-11-28T08:15:00+01:00`), stored in UTC (`…Z`);
 * - calendar dates are `YYYY-MM-DD` in the centre's local time zone;
 * - input objects are strict: an unknown field is refused with the code `unknown_field`, so a typo never
 *   silently drops data.
 */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "Use letters, digits, '_' or '-'");
export type Id = z.infer<typeof Id>;

/** An instant, ISO 8601 with `Z` or an explicit offset. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/**
 * An ISO 639 language code: two letters (639-1, `fr`, `ar`, `ps`, `ti`) or three (639-3, `prs` for Dari),
 * lower case, as HSDS 3.0 `language` expects.
 */
export const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, "Use an ISO 639 code such as 'fr' or 'prs'");
export type LanguageCode = z.infer<typeof LanguageCode>;

/** Age bands used for every disaggregation (DOMAIN.md): the five bands, nothing finer. */
export const AgeBand = z.enum(["0-4", "5-11", "12-17", "18-59", "60+"]);
export type AgeBand = z.infer<typeof AgeBand>;

/**
 * Gender as the person chooses to state it, never required. `other` covers every answer that is neither
 * female nor male; in HXL it maps to `+i`.
 */
export const Gender = z.enum(["female", "male", "other"]);
export type Gender = z.infer<typeof Gender>;

/** Short human text: trimmed, non-empty, bounded. */
export function text(max: number) {
  return z.string().trim().min(1).max(max);
}

/** Fields every stored record carries. */
export const RecordMeta = {
  id: Id,
  createdAt: Instant,
  updatedAt: Instant,
};

/** Every record that belongs to a centre names it: the system is multi-centre from day one. */
export const CentreScoped = { centreId: Id };
