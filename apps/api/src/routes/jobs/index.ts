import { createRouter } from "../../router.js";
import { listJobRunsRoute } from "./list-job-runs.js";
import { rebuildCentreMonthRoute } from "./rebuild-centre-month.js";
import { runRetentionPurgeRoute } from "./run-retention-purge.js";
import { runRollupNowRoute } from "./run-rollup.js";

export const jobRoutes = createRouter()
  .route("/", runRollupNowRoute)
  .route("/", listJobRunsRoute)
  .route("/", runRetentionPurgeRoute)
  .route("/", rebuildCentreMonthRoute);
