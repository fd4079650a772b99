import { createRouter } from "../../router.js";
import { listServiceUsesRoute } from "./list-service-uses.js";
import { recordServiceUseRoute } from "./record-service-use.js";
import { voidServiceUseRoutes } from "./void-service-use.js";

export const serviceUseRoutes = createRouter()
  .route("/", recordServiceUseRoute)
  .route("/", listServiceUsesRoute)
  .route("/", voidServiceUseRoutes);
