import { createRouter } from "../../router.js";
import { getVisitsTodayRoute } from "./get-visits-today.js";
import { listVisitsRoute } from "./list-visits.js";
import { recordVisitRoute } from "./record-visit.js";
import { recordVisitBatchRoute } from "./record-visit-batch.js";
import { voidVisitRoutes } from "./void-visit.js";

export const visitRoutes = createRouter()
  .route("/", recordVisitRoute)
  .route("/", recordVisitBatchRoute)
  .route("/", listVisitsRoute)
  .route("/", getVisitsTodayRoute)
  .route("/", voidVisitRoutes);
