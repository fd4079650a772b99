import type { PartnersT } from "../../i18n/pages/partners.js";
import type { Partner } from "./partner-form.js";

/**
 * The centre's partners, each with its roles, and (unless archived) a manage button, with edit and archive
 * for those the caller may change (`mayChange`: a partner linked from another centre is read-only here).
 */
export function PartnerList(props: {
  t: PartnersT;
  partners: Partner[];
  mayChange: (partner: Partner) => boolean;
  onManage: (partner: Partner) => void;
  onEdit: (partner: Partner) => void;
  onArchive: (partner: Partner) => void;
}) {
  const { t } = props;
  return (
    <ul class="records">
      {props.partners.map((partner) => (
        <li key={partner.id} class="record">
          <h2>
            {partner.name}
            {partner.archivedAt && <span class="tag"> ({t("archived")})</span>}
          </h2>
          <p class="meta">{partner.roles.map((role) => t(`role_${role}`)).join(" · ")}</p>
          {partner.description && <p>{partner.description}</p>}
          {!partner.archivedAt && (
            <div class="actions">
              <button type="button" class="primary" onClick={() => props.onManage(partner)}>
                <span aria-hidden="true">{t("manage")}</span>
                <span class="visually-hidden">{t("manageOf", { name: partner.name })}</span>
              </button>
              {props.mayChange(partner) && (
                <>
                  <button type="button" onClick={() => props.onEdit(partner)}>
                    <span aria-hidden="true">{t("edit")}</span>
                    <span class="visually-hidden">{`${t("edit")} ${partner.name}`}</span>
                  </button>
                  <button type="button" onClick={() => props.onArchive(partner)}>
                    <span aria-hidden="true">{t("archive")}</span>
                    <span class="visually-hidden">{`${t("archive")} ${partner.name}`}</span>
                  </button>
                </>
              )}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
