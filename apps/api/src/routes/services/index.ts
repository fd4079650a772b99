import { createRouter } from "../../router.js";
import { archiveServiceRoute } from "./archive-service.js";
import { createServiceRoute } from "./create-service.js";
import { getServiceRoute } from "./get-service.js";
import { getServiceCapacityRoute } from "./get-service-capacity.js";
import { listServicesRoute } from "./list-services.js";
import { updateServiceRoute } from "./update-service.js";

export const serviceRoutes = createRouter()
  .route("/", listServicesRoute)
  .route("/", createServiceRoute)
  .route("/", getServiceRoute)
  .route("/", updateServiceRoute)
  .route("/", archiveServiceRoute)
  .route("/", getServiceCapacityRoute);
