import { getPartner } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertCentreVisible, authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

export const TokenRecord = z
  .object({
    id: z.string(),
    centreId: z.string(),
    partnerId: z.string(),
    name: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");

export const NewToken = TokenRecord.extend({
  token: z.string().openapi({ description: "The secret, shown this once: it is stored only as a hash" }),
}).openapi("NewApiToken");

export const TokenInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("ApiTokenInput");

export const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });

export const TokenParams = z.object({ tokenId: z.string().min(1).max(64) });

export async function managedPartner(c: Context<AppEnv>, partnerId: string) {
  const principal = authorize(c, "partners:manage");
  const partner = await getPartner(c.get("services").db, partnerId);
  if (!partner) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}
