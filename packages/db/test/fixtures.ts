import { env } from "cloudflare:workers";
import { CentreInput, PartnerInput, ServiceInput } from "@halte/core";
import type { BatchItem } from "drizzle-orm/batch";
import { createDb, type Db, insertCentre, insertPartner, insertService, insertUser } from "../src/index.js";

export const db: Db = createDb(env.DB);

let counter = 0;
/** A fresh id per call: every test writes its own rows into the shared local D1. */
export function freshId(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export const AT = "2026-11-28T08:00:00.000Z";

export async function givenCentre(retentionMonths = 24): Promise<string> {
  const id = freshId("centre");
  const input = CentreInput.parse({
    name: "La Halte de Jour",
    slug: id.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    openingHours: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
    retentionMonths,
  });
  await insertCentre(db, id, input, AT).run();
  return id;
}

export async function givenPartner(centreId: string): Promise<string> {
  const id = freshId("partner");
  await insertPartner(
    db,
    id,
    centreId,
    PartnerInput.parse({ name: "Samu social", roles: ["service_provider"] }),
    AT,
  ).run();
  return id;
}

export async function givenService(centreId: string, partnerId: string): Promise<string> {
  const id = freshId("service");
  const input = ServiceInput.parse({
    organizationId: partnerId,
    name: "Douches",
    category: "hygiene",
    schedule: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
  });
  await insertService(db, id, centreId, input, AT).run();
  return id;
}

export async function givenUser(
  scope: { centreId?: string | null; partnerId?: string | null; email?: string } = {},
): Promise<{ id: string; email: string }> {
  const id = freshId("user");
  const email = scope.email ?? `${id}@halte.test`;
  await insertUser(
    db,
    {
      id,
      email,
      name: "Test",
      role: scope.partnerId ? "partner" : "coordinator",
      centreId: scope.centreId ?? null,
      partnerId: scope.partnerId ?? null,
      password: { hash: "aGFzaA==", salt: "c2FsdA==", iterations: 1000 },
    },
    AT,
  ).run();
  return { id, email: email.toLowerCase() };
}

/** Runs statements built in loops as one atomic batch (`db.batch` wants a non-empty tuple). */
export function runBatch(statements: readonly BatchItem<"sqlite">[]) {
  const [first, ...rest] = statements;
  if (!first) throw new Error("an empty batch");
  return db.batch([first, ...rest]);
}
