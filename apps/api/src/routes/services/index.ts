import { createRouter } from "../../router.js";

// Routes for this resource are being written; the router is mounted already so the app wiring is stable.
export const serviceRoutes = createRouter();
