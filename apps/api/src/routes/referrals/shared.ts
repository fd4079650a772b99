import type { ReferralTransitionError } from "@halte/core";
import type { Db, WebhookDeliveryRow } from "@halte/db";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { describeError } from "../../logger.js";
import { ApiProblem } from "../../problem.js";
import { asBatch } from "../visits/record.js";
import { insertDeliveries } from "../webhooks/delivery.js";

export function transitionProblem(error: ReferralTransitionError): ApiProblem {
  switch (error.code) {
    case "illegal_transition":
    case "actor_not_allowed":
      return new ApiProblem("illegal_transition", error.message);
    case "reason_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "required", message: error.message },
      ]);
    case "reason_not_allowed":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "invalid_value", message: error.message },
      ]);
    case "consent_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["consent"], code: "required", message: error.message },
      ]);
    case "already_in_status":
    case "stale":
      return new ApiProblem("conflict", error.message);
  }
}

/**
 * Writes a referral's change (built on `centreDb`, its audit row included) and the webhook deliveries it
 * causes, which live in the directory; returns the deliveries written, for `sendDeliveries`. On a
 * single-database install that is one batch, as ever. With one database per centre it is two, the centre's
 * first: the change is what the API serves, so it must not wait on the directory; a directory write that then
 * fails is logged and leaves the change without its event (the partner still pulls it with its token), never
 * an event about a change that did not happen. The centre batch's failure throws as a batch does.
 */
export async function writeReferralChange(
  c: Context<AppEnv>,
  centreDb: Db,
  statements: readonly BatchItem<"sqlite">[],
  deliveries: readonly WebhookDeliveryRow[],
): Promise<readonly WebhookDeliveryRow[]> {
  const { db: directory, logger } = c.get("services");
  if (centreDb === directory) {
    await directory.batch(asBatch([...statements, ...insertDeliveries(directory, deliveries)]));
    return deliveries;
  }
  await centreDb.batch(asBatch(statements));
  if (deliveries.length === 0) return deliveries;
  try {
    await directory.batch(asBatch(insertDeliveries(directory, deliveries)));
    return deliveries;
  } catch (error) {
    logger.error("could not record webhook deliveries", {
      count: deliveries.length,
      error: describeError(error),
    });
    return [];
  }
}
