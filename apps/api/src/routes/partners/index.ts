import { createRouter } from "../../router.js";
import { archivePartnerRoute } from "./archive-partner.js";
import { createPartnerRoute } from "./create-partner.js";
import { getPartnerRoute } from "./get-partner.js";
import { linkPartnerCentreRoute } from "./link-partner-centre.js";
import { listPartnersRoute } from "./list-partners.js";
import { unlinkPartnerCentreRoute } from "./unlink-partner-centre.js";
import { updatePartnerRoute } from "./update-partner.js";

export const partnerRoutes = createRouter()
  .route("/", listPartnersRoute)
  .route("/", createPartnerRoute)
  .route("/", getPartnerRoute)
  .route("/", updatePartnerRoute)
  .route("/", archivePartnerRoute)
  .route("/", linkPartnerCentreRoute)
  .route("/", unlinkPartnerCentreRoute);
