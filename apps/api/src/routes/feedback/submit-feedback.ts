import { looksAutomated } from "@halte/core";
import { getCentreBySlug, getService, insertFeedback } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { recordFailure, retryAfter } from "../../auth/rate-limit.js";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { senderKey } from "./address-key.js";
import { FeedbackBody } from "./schema.js";

const HOUR = 60 * 60_000;

/**
 * Submissions per sender (a keyed hash of the address) and per centre, each hour. The second caps a flood
 * from many addresses: the moderation queue stays readable.
 */
export const FEEDBACK_LIMITS = {
  sender: { max: 5, windowMs: HOUR },
  centre: { max: 200, windowMs: HOUR },
} as const;

const submitRoute = defineRoute({
  method: "post",
  path: "/public/centres/{slug}/feedback",
  operationId: "submitFeedback",
  security: publicAccess,
  tags: ["public"],
  summary: "Leave anonymous feedback or a suggestion for a centre (the public directory's form)",
  description:
    "No sign-in and nothing personal: free text (3–2,000 characters), an optional theme or service, and " +
    "the language it was written in. It is kept as `pending` until a coordinator approves or rejects it. " +
    "Spam is held off without third parties: `website` must stay empty (a field people never see), the " +
    "form must have been open at least 3 seconds (`fillSeconds`), and each sender may send 5 an hour, each " +
    "centre receive 200 an hour (else 429 with `retry-after`). The sender is counted by a keyed hash of " +
    "its address; the address is never stored. A submission that looks automated is answered 202 like " +
    "any other and not kept.",
  request: {
    params: z.object({ slug: z.string().min(1).max(64) }),
    body: { required: true, content: { "application/json": { schema: FeedbackBody } } },
  },
  responses: {
    202: {
      description: "Received; a coordinator reads it before it is used",
      content: { "application/json": { schema: z.object({ received: z.literal(true) }) } },
    },
    ...problemResponses("malformed_request", "not_found", "validation_failed", "rate_limited"),
  },
});

export const submitFeedbackRoutes = createRouter().openapi(submitRoute, async (c) => {
  const submission = c.req.valid("json");
  // The rate limits are in the directory (`db`); the feedback, its audit row and the services it may
  // name are in the centre's own database (`centreDb`).
  const { db, dbs, now, newId, config } = c.get("services");
  const centre = await getCentreBySlug(db, c.req.valid("param").slug);
  if (!centre || centre.archivedAt !== null) throw new ApiProblem("not_found", "No such centre");
  const centreDb = await dbs.dbFor(centre.id);
  if (submission.serviceId !== undefined) {
    const service = await getService(centreDb, submission.serviceId);
    if (!service || service.centreId !== centre.id) {
      throw new ApiProblem("validation_failed", "Unknown service", [
        { path: ["serviceId"], code: "invalid_value", message: "No such service at this centre" },
      ]);
    }
  }
  const at = now();
  const sender = await senderKey(config.VISITOR_CODE_SECRET, c.req.header("cf-connecting-ip") ?? "local");
  const senderLimitKey = `feedback:sender:${sender}`;
  const centreLimitKey = `feedback:centre:${centre.id}`;
  const wait = Math.max(
    await retryAfter(db, senderLimitKey, FEEDBACK_LIMITS.sender, at),
    await retryAfter(db, centreLimitKey, FEEDBACK_LIMITS.centre, at),
  );
  if (wait > 0) {
    throw new ApiProblem("rate_limited", `Too many messages; try again in ${wait} s`, undefined, {
      "retry-after": String(wait),
    });
  }
  const counters = [
    recordFailure(db, senderLimitKey, FEEDBACK_LIMITS.sender, at),
    recordFailure(db, centreLimitKey, FEEDBACK_LIMITS.centre, at),
  ] as const;
  if (looksAutomated(submission)) {
    await db.batch([...counters]);
    return c.json({ received: true as const }, 202);
  }
  const id = newId();
  const stored = [
    insertFeedback(centreDb, id, centre.id, submission, at.toISOString()),
    // The text stays out of the audit log: it is the people's words, kept in one place only.
    auditStatement(
      c,
      {
        action: "create",
        entity: "feedback",
        entityId: id,
        centreId: centre.id,
        after: { status: "pending", language: submission.language, theme: submission.theme ?? null },
      },
      centreDb,
    ),
  ] as const;
  if (centreDb === db) await db.batch([...counters, ...stored]);
  else {
    // Two databases: the counters first, so a message whose counting failed is never stored (a retry
    // counts again: the sender is only held to the limit sooner), then the message and its audit row.
    await db.batch([...counters]);
    await centreDb.batch([...stored]);
  }
  return c.json({ received: true as const }, 202);
});
