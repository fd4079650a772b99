import { ConsentMethod, type Referral, type ReferralHistoryEntry } from "@halte/core";
import { type Db, getReferral } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { ApiProblem } from "../../problem.js";
import type { LocatedReferral } from "./views.js";

export const ConsentWithdrawal = z
  .strictObject({
    /** How the person said so: in person (verbal), in writing, or digitally. */
    method: ConsentMethod,
  })
  .openapi("ConsentWithdrawal");

/** The timeline line of an event that leaves the status as it is. */
export function timelineEntry(referral: Referral, at: string): ReferralHistoryEntry {
  return {
    referralId: referral.id,
    from: referral.status,
    to: referral.status,
    actor: "centre",
    reason: null,
    note: null,
    at,
  };
}

/** The referral as it now stands in its database (after a write there). */
export async function reread(db: Db, id: string): Promise<LocatedReferral> {
  const referral = await getReferral(db, id);
  if (!referral) throw new ApiProblem("not_found", "No such referral");
  return { referral, db };
}
