import { createRouter } from "../../router.js";
import { createUserRoute } from "./create-user.js";
import { disableUserRoute } from "./disable-user.js";
import { enableUserRoutes } from "./enable-user.js";
import { getUserRoute } from "./get-user.js";
import { listUsersRoute } from "./list-users.js";
import { setUserPasswordRoute } from "./set-user-password.js";
import { updateUserRoute } from "./update-user.js";

export const userRoutes = createRouter()
  .route("/", listUsersRoute)
  .route("/", createUserRoute)
  .route("/", getUserRoute)
  .route("/", updateUserRoute)
  .route("/", disableUserRoute)
  .route("/", setUserPasswordRoute)
  .route("/", enableUserRoutes);
