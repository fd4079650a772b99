import { Id, Partner, PartnerInput, PartnerRole } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../pagination.js";
import { IncludeArchived } from "../archive.js";

export const PartnerRecord = Partner.openapi("Partner");
export const PartnerPage = pageOf(PartnerRecord, "Partner");

/**
 * The body of `POST /api/partners`: the organisation plus the centre it works with. Every centre-scoped
 * resource (partners, services, events, lessons) names its centre in the body on creation; a record never
 * moves to another centre afterwards.
 */
export const PartnerCreate = PartnerInput.extend({ centreId: Id }).openapi("PartnerCreate");
export const PartnerReplace = PartnerInput.openapi("PartnerInput");

export const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });

export const PartnerListQuery = PageQuery.extend({
  centreId: Id.optional().openapi({ description: "Only this centre's partners" }),
  role: PartnerRole.optional().openapi({ description: "Only organisations holding this role" }),
  includeArchived: IncludeArchived,
});

/** A partner with the centres it works with (its home and those linked to it) that the caller reaches. */
export const PartnerWithCentres = Partner.extend({
  centreIds: z.array(Id).openapi({
    description:
      "The centres the partner works with, its home (`centreId`) included, as far as the caller reaches",
  }),
}).openapi("PartnerWithCentres");

/** The body of `POST /api/partners/{partnerId}/centres`. */
export const PartnerCentreLink = z.object({ centreId: Id }).strict().openapi("PartnerCentreLink");
