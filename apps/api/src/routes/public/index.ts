import { createRouter } from "../../router.js";
import { getPublicDirectoryRoute } from "./get-public-directory.js";
import { getPublicHsdsDirectoryRoute } from "./get-public-hsds-directory.js";
import { listPublicCentresRoute } from "./list-centres.js";

export const publicRoutes = createRouter()
  .route("/", listPublicCentresRoute)
  .route("/", getPublicHsdsDirectoryRoute)
  .route("/", getPublicDirectoryRoute);
