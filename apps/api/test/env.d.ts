import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { Env as WorkerEnv } from "../src/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      TEST_LAYOUT: "single" | "split";
      CENTRE_A: D1Database;
      CENTRE_B: D1Database;
      CENTRE_C: D1Database;
    }
    interface GlobalProps {
      mainModule: typeof import("../src/worker.js");
    }
  }
}
