import { getPartner } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertCentreVisible, authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/** The `{partnerId}` of the routes that manage a partner's secrets and endpoints. */
export const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });

/**
 * The partner whose webhook secrets or endpoints the caller manages: it exists (else 404) and is at a centre
 * the caller may see (else 403); the caller holds `webhooks:manage`.
 */
export async function managedPartner(c: Context<AppEnv>, partnerId: string) {
  const principal = authorize(c, "webhooks:manage");
  const partner = await getPartner(c.get("services").db, partnerId);
  if (!partner) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}
