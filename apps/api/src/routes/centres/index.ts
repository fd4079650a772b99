import { createRouter } from "../../router.js";
import { archiveCentreRoute } from "./archive-centre.js";
import { createCentreRoute } from "./create-centre.js";
import { getCentreRoute } from "./get-centre.js";
import { listCentresRoute } from "./list-centres.js";
import { updateCentreRoute } from "./update-centre.js";

export const centreRoutes = createRouter()
  .route("/", listCentresRoute)
  .route("/", createCentreRoute)
  .route("/", getCentreRoute)
  .route("/", updateCentreRoute)
  .route("/", archiveCentreRoute);
