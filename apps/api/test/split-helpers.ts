import { env } from "cloudflare:workers";
import type { CentreInput } from "@halte/core";
import { centres, copyCentreRow, copyPartnerRow, createDb, type Db, partners } from "@halte/db";
import { uuidv7 } from "../src/ids.js";
import { centreInput, db } from "./helpers.js";

/** The centre databases the test pool binds beside the directory (`DB`): vitest.config.ts. */
export type CentreBinding = "CENTRE_A" | "CENTRE_B" | "CENTRE_C";

export function centreDb(binding: CentreBinding): Db {
  return createDb(env[binding]);
}

/**
 * A centre with its own database, as `npm run centre:add` leaves it: its directory row names the binding,
 * and the centre database holds a copy of the row (its foreign keys point at it).
 */
export async function givenCentreIn(
  binding: CentreBinding,
  overrides: Partial<CentreInput> = {},
): Promise<string> {
  const id = uuidv7(new Date());
  const input = centreInput(overrides);
  const at = new Date().toISOString();
  const row = {
    id,
    ...input,
    timeZone: input.openingHours.timeZone,
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
    d1Binding: binding,
  };
  await db.insert(centres).values(row);
  await copyCentreRow(centreDb(binding), row);
  return id;
}

/** A partner of a centre with its own database: the directory's row and the centre database's copy. */
export async function givenPartnerIn(
  binding: CentreBinding,
  centreId: string,
  name = "Samu social",
): Promise<string> {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  const row = {
    id,
    centreId,
    name,
    roles: ["service_provider", "referral_destination"] as ("service_provider" | "referral_destination")[],
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  };
  await db.insert(partners).values(row);
  await copyPartnerRow(centreDb(binding), row);
  return id;
}
