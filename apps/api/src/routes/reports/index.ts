import { createRouter } from "../../router.js";
import { arrivalsReportRoutes } from "./arrivals.js";
import { referralsReportRoutes } from "./referrals.js";
import { servicesReportRoutes } from "./services.js";
import { visitReportRoutes } from "./visits.js";

/**
 * The reports: visits, arrivals by weekday × hour, services against capacity, referrals. Each route file
 * holds one report; `scope.ts` holds what they share (centres, range, disclosure, threshold, CSV).
 */
export const reportRoutes = createRouter()
  .route("/", visitReportRoutes)
  .route("/", arrivalsReportRoutes)
  .route("/", servicesReportRoutes)
  .route("/", referralsReportRoutes);
