import { IdempotencyKey } from "@halte/core";
import type { StoredServiceUse } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Principal } from "../../auth/principal.js";
import { ApiProblem } from "../../problem.js";
import { serviceUseRecord } from "../visits/record.js";

export const IdempotencyHeader = z.object({
  "idempotency-key": IdempotencyKey.optional().openapi({
    description: "Makes the report idempotent: a retry with the same key returns the first record (200)",
  }),
});

/** Partners act for one organisation: they report and read only its services' uses. */
export function partnerOf(principal: Principal): string | null {
  if (principal.role !== "partner") return null;
  if (principal.partnerId === null) {
    throw new ApiProblem("forbidden", "This partner account is not linked to an organisation");
  }
  return principal.partnerId;
}

/** What a partner may see of a use: not which visit it came with. */
export function useFor(principal: Principal, use: StoredServiceUse) {
  const record = serviceUseRecord(use);
  return principal.role === "partner" ? { ...record, visitId: null } : record;
}
