import type { Db } from "@halte/db";
import type { CheckedCredential, DeferredCredential } from "./auth/middleware.js";
import type { Principal } from "./auth/principal.js";
import type { Databases } from "./databases.js";
import type { Env, WorkerConfig } from "./env.js";
import type { Logger } from "./logger.js";

/** What every handler needs, built once per request by one middleware and read from the context. */
export interface Services {
  /** The directory database (`DB`). A centre's own rows are in `dbs.dbFor(centreId)`. */
  db: Db;
  d1: D1Database;
  /** Routing by centre: the directory, each centre's database, the figures (src/databases.ts). */
  dbs: Databases;
  config: WorkerConfig;
  logger: Logger;
  /** The clock: handlers never call `new Date()` themselves, so tests can move time. */
  now: () => Date;
  newId: () => string;
}

export interface AppVariables {
  services: Services;
  principal: Principal | null;
  /** A door write's cookie credential not looked up yet: the write checks it (`permitFolded`). */
  deferredCredential?: DeferredCredential | null;
  /** That credential once the ordinary path looked it up, for a grant in the centre's database. */
  checkedCredential?: CheckedCredential;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
