import { z } from "zod";
import { CentreScoped, Id, Instant, RecordMeta } from "./common.js";
import { err, ok, type Result } from "./result.js";

/**
 * The most uses one record or one partner report may count. A centre like the Halte de Jour serves about
 * 100 people a day; a partner reporting a whole day's consultations or meals stays far below 500, while a
 * typing slip (10,000) would swamp every report. Larger real counts are sent as several reports.
 */
export const MAX_USES_PER_REPORT = 500;

/** How far ahead of the server's clock a use may be dated: another device's clock may run a little fast. */
export const USED_AT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The instants a service use may be dated at: from the centre's retention horizon (`retentionMonths`
 * calendar months before `now`, in UTC; older rows would already be purged and their days' figures frozen)
 * to five minutes after `now`.
 *
 * @example
 * usedAtWindow(new Date("2026-12-07T10:00:00Z"), 24);
 * // { from: "2024-12-07T10:00:00.000Z", to: "2026-12-07T10:05:00.000Z" }
 */
export function usedAtWindow(now: Date, retentionMonths: number): { from: string; to: string } {
  const from = new Date(now.getTime());
  from.setUTCMonth(from.getUTCMonth() - retentionMonths);
  return { from: from.toISOString(), to: new Date(now.getTime() + USED_AT_CLOCK_SKEW_MS).toISOString() };
}

/**
 * Checks that `usedAt` falls in {@link usedAtWindow}: a use dated 1990, before the centre's retention, or in
 * the future is a wrong clock or a typing slip, and would land in reports. Returns the instant in UTC.
 *
 * @example
 * checkUsedAt("2026-12-07T09:00:00+01:00", new Date("2026-12-07T10:00:00Z"), 24);
 * // { ok: true, value: "2026-12-07T08:00:00.000Z" }
 * checkUsedAt("2035-01-01T00:00:00Z", new Date("2026-12-07T10:00:00Z"), 24).ok; // false: "in_future"
 */
export function checkUsedAt(
  usedAt: string,
  now: Date,
  retentionMonths: number,
): Result<string, { code: "before_retention" | "in_future"; message: string }> {
  const at = new Date(usedAt);
  const window = usedAtWindow(now, retentionMonths);
  const iso = at.toISOString();
  if (iso < window.from) {
    return err({
      code: "before_retention",
      message: `Must be after ${window.from} (the centre keeps ${retentionMonths} months)`,
    });
  }
  if (iso > window.to) {
    return err({ code: "in_future", message: `Must not be later than ${window.to} (now, plus 5 minutes)` });
  }
  return ok(iso);
}

/**
 * Where a count of uses came from: tapped at the door with a visit, or reported in bulk by the partner
 * that ran the service (e.g. "14 consultations this afternoon").
 */
export const ServiceUseSource = z.enum(["door", "partner_report"]);
export type ServiceUseSource = z.infer<typeof ServiceUseSource>;

/** One use (or a counted batch of uses) of a service, as sent by reception or a partner. */
export const ServiceUseInput = z.strictObject({
  centreId: Id,
  serviceId: Id,
  usedAt: Instant,
  /** How many: one shower is 1; a partner's bulk report may carry a larger count, at most 500. */
  quantity: z.int().min(1).max(MAX_USES_PER_REPORT).default(1),
  visitId: Id.optional(),
  source: ServiceUseSource.default("door"),
  /** The reporting partner, for `partner_report` uses. */
  partnerId: Id.optional(),
});
export type ServiceUseInput = z.infer<typeof ServiceUseInput>;

/** A stored service use. */
export const ServiceUse = z.object({
  ...RecordMeta,
  ...CentreScoped,
  serviceId: Id,
  usedAt: Instant,
  quantity: z.int().min(1),
  visitId: Id.nullable(),
  source: ServiceUseSource,
  partnerId: Id.nullable(),
});
export type ServiceUse = z.infer<typeof ServiceUse>;
