import { createRouter } from "../../router.js";
import { createApiTokenRoute } from "./create-api-token.js";
import { listApiTokensRoute } from "./list-api-tokens.js";
import { revokeApiTokenRoute } from "./revoke-api-token.js";

export const apiTokenRoutes = createRouter()
  .route("/", createApiTokenRoute)
  .route("/", listApiTokensRoute)
  .route("/", revokeApiTokenRoute);
