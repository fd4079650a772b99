import { createRouter } from "../../router.js";
import { getSessionRoute } from "./get-session.js";
import { signInRoute } from "./sign-in.js";
import { signOutRoute } from "./sign-out.js";

export const authRoutes = createRouter()
  .route("/", signInRoute)
  .route("/", getSessionRoute)
  .route("/", signOutRoute);
