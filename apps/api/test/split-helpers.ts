import { env } from "cloudflare:workers";
import type { CentreInput } from "@halte/core";
import { createDb, type Db } from "@halte/db";
import { centreDbOf, db, givenCentreIn as givenCentreInBinding, givenPartner } from "./helpers.js";

/** The centre databases the test pool binds beside the directory (`DB`): vitest.config.ts. */
export type CentreBinding = "CENTRE_A" | "CENTRE_B" | "CENTRE_C";

export function centreDb(binding: CentreBinding): Db {
  return createDb(env[binding]);
}

/** A centre with its own database (`givenCentreIn` of helpers.ts, the pool's three only). */
export function givenCentreIn(binding: CentreBinding, overrides: Partial<CentreInput> = {}): Promise<string> {
  return givenCentreInBinding(binding, overrides);
}

/**
 * A partner of a centre with its own database: the directory's row and the centre database's copy
 * (`givenPartner` of helpers.ts, which finds the centre's database in the directory).
 */
export async function givenPartnerIn(
  binding: CentreBinding,
  centreId: string,
  name = "Samu social",
): Promise<string> {
  if ((await centreDbOf(centreId)) === db) throw new Error(`centre ${centreId} is not in ${binding}`);
  return givenPartner(centreId, name);
}
