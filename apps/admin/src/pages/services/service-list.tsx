import { formatInstant } from "../../components/form.js";
import type { ServicesT } from "../../i18n/pages/services.js";
import type { ServiceRecord } from "./form-model.js";

/** The centre's services: each open now (until when) or when it next opens, its capacity and languages. */
export function ServiceList(props: {
  t: ServicesT;
  codes: Record<string, string>;
  locale: string;
  services: ServiceRecord[];
  canManage: boolean;
  onEdit: (service: ServiceRecord) => void;
  onArchive: (service: ServiceRecord) => void;
}) {
  const { t, codes } = props;
  return (
    <ul class="records">
      {props.services.map((service) => (
        <li key={service.id} class="record" data-service={service.id}>
          <h2>
            {service.name}
            {service.archivedAt && <span class="tag"> ({t("archived")})</span>}
          </h2>
          <p class="meta">
            {codes[service.category]} · {codes[service.status]}
          </p>
          <p class={service.openingStatus.open ? "badge open" : "badge closed"}>
            {openingText(t, props.locale, service)}
          </p>
          <p class="capacity">
            {service.schedule.dailyCapacity === undefined
              ? t("noCapacity")
              : t("capacityPerDay", { n: service.schedule.dailyCapacity })}
          </p>
          {service.languages.length > 0 && (
            <p>{t("languagesList", { list: service.languages.join(", ") })}</p>
          )}
          {props.canManage && !service.archivedAt && (
            <div class="actions">
              <button type="button" onClick={() => props.onEdit(service)}>
                <span aria-hidden="true">{t("edit")}</span>
                <span class="visually-hidden">{t("editOf", { name: service.name })}</span>
              </button>
              <button type="button" onClick={() => props.onArchive(service)}>
                <span aria-hidden="true">{t("archive")}</span>
                <span class="visually-hidden">{t("archiveOf", { name: service.name })}</span>
              </button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function openingText(t: ServicesT, locale: string, service: ServiceRecord): string {
  const zone = service.schedule.timeZone;
  const { open, closesAt, nextOpensAt } = service.openingStatus;
  if (open) return closesAt ? t("openNow", { time: formatInstant(locale, closesAt, zone) }) : t("openNoEnd");
  return nextOpensAt
    ? t("closedNext", { time: formatInstant(locale, nextOpensAt, zone) })
    : t("closedNoNext");
}
