import { ConsentMethod, type Referral, type ReferralHistoryEntry } from "@halte/core";
import { getReferral } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

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

export async function reread(c: Context<AppEnv>, id: string): Promise<Referral> {
  const referral = await getReferral(c.get("services").db, id);
  if (!referral) throw new ApiProblem("not_found", "No such referral");
  return referral;
}
