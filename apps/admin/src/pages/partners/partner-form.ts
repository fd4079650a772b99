// A partner as the API returns it, and the editor's form of it.
import type { PartnerRole } from "@halte/core";
import type { Schemas } from "../../api.js";

export type Partner = Schemas["Partner"];

export const ROLES: PartnerRole[] = [
  "operator",
  "service_provider",
  "referral_destination",
  "funder",
  "public_institution",
];

export interface PartnerForm {
  id: string | null;
  name: string;
  roles: PartnerRole[];
  description: string;
  website: string;
  email: string;
  phone: string;
}

export const blank: PartnerForm = {
  id: null,
  name: "",
  roles: ["service_provider"],
  description: "",
  website: "",
  email: "",
  phone: "",
};

export function formOf(partner: Partner): PartnerForm {
  return {
    id: partner.id,
    name: partner.name,
    roles: partner.roles,
    description: partner.description ?? "",
    website: partner.website ?? "",
    email: partner.email ?? "",
    phone: partner.phone ?? "",
  };
}
