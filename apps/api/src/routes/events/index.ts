import { createRouter } from "../../router.js";
import { archiveEventRoute } from "./archive-event.js";
import { createEventRoute } from "./create-event.js";
import { getEventRoute } from "./get-event.js";
import { listEventsRoute } from "./list-events.js";
import { updateEventRoute } from "./update-event.js";

export const eventRoutes = createRouter()
  .route("/", listEventsRoute)
  .route("/", createEventRoute)
  .route("/", getEventRoute)
  .route("/", updateEventRoute)
  .route("/", archiveEventRoute);
