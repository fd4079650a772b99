import { z } from "zod";
import { AgeBand, CentreScoped, Gender, Id, Instant, LanguageCode, RecordMeta } from "./common.js";

/**
 * A client-chosen key that makes a write idempotent: the offline door tablet sends the same key again
 * after a dropped connection and the visit is recorded once.
 */
export const IdempotencyKey = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits and '_ . : -'");
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;

/** A service used during a visit, as sent from the door. */
export const VisitServiceUseInput = z.strictObject({
  serviceId: Id,
  quantity: z.int().min(1).max(100).default(1),
});
export type VisitServiceUseInput = z.infer<typeof VisitServiceUseInput>;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * A visitor card code as typed: trimmed, at most 64 characters, with at least one letter or digit of any
 * script (`HJ-00042`, `كارت-7`). The letter-or-digit rule is a check, not `.regex()`, so that it is not
 * published as a JSON Schema `pattern`: ECMA-262 without the `u` flag has no Unicode property escapes, and
 * the equivalent class spelled out would be ~11,000 characters tied to one Unicode version. The document
 * says it in words instead; the refusal is the same `invalid_format` issue `.regex()` gave.
 */
const VisitorCodeInput = z
  .string()
  .trim()
  .max(64)
  .check((ctx) => {
    if (!LETTER_OR_DIGIT.test(ctx.value)) {
      ctx.issues.push({
        origin: "string",
        code: "invalid_format",
        format: "regex",
        pattern: LETTER_OR_DIGIT.toString(),
        input: ctx.value,
        message: "A card code needs at least one letter or digit",
      });
    }
  })
  .meta({
    description:
      "A visitor card number as typed or scanned (trimmed, at most 64 characters), with at least one letter " +
      "or digit of any script (Unicode categories L or N), e.g. `HJ-00042`. Never stored: only a keyed hash.",
  });

/**
 * One arrival at the door, as sent by reception. **Only `centreId` and `arrivedAt` are required**: access
 * is unconditional, so every other field is optional and nobody must give a name or a document. A visitor
 * card code, when given, is hashed with the centre's key (see `hashVisitorCode`) before it is stored.
 */
export const VisitInput = z.strictObject({
  centreId: Id,
  arrivedAt: Instant,
  /** The number on a visitor card, as typed or scanned. Never stored: only its keyed hash is. */
  visitorCode: VisitorCodeInput.optional(),
  ageBand: AgeBand.optional(),
  gender: Gender.optional(),
  languages: z.array(LanguageCode).max(10).optional(),
  firstVisit: z.boolean().optional(),
  uses: z.array(VisitServiceUseInput).max(50).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type VisitInput = z.infer<typeof VisitInput>;

/** The most visits one batch may carry (an offline tablet's backlog). */
export const MAX_VISIT_BATCH = 1000;

/** A batch of arrivals, each with its own idempotency key so a retried batch never doubles. */
export const VisitBatchInput = z.strictObject({
  visits: z
    .array(VisitInput.extend({ idempotencyKey: IdempotencyKey }))
    .min(1)
    .max(MAX_VISIT_BATCH),
});
export type VisitBatchInput = z.infer<typeof VisitBatchInput>;

/** A keyed hash of a visitor code: 64 lower-case hex characters (HMAC-SHA-256). */
export const VisitorCodeHash = z.string().regex(/^[0-9a-f]{64}$/);
export type VisitorCodeHash = z.infer<typeof VisitorCodeHash>;

/** A stored visit. */
export const Visit = z.object({
  ...RecordMeta,
  ...CentreScoped,
  arrivedAt: Instant,
  visitorCodeHash: VisitorCodeHash.nullable(),
  ageBand: AgeBand.nullable(),
  gender: Gender.nullable(),
  languages: z.array(LanguageCode),
  firstVisit: z.boolean().nullable(),
  idempotencyKey: IdempotencyKey.nullable(),
});
export type Visit = z.infer<typeof Visit>;
