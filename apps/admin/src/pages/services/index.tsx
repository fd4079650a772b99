import { roleCan } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow } from "../../api.js";
import {
  ActionNotice,
  archivableListQuery,
  archiveFromList,
  RecordList,
  ShowArchivedToggle,
  useCentreId,
  useRecordList,
} from "../../components/record-list.js";
import { serviceCodeLabels, servicesTranslator } from "../../i18n/pages/services.js";
import type { StaffPageProps } from "../../staff-page.js";
import { formOf, newServiceForm, type ServiceForm, type ServiceRecord } from "./form-model.js";
import { ServiceEditor } from "./service-editor.js";
import { ServiceList } from "./service-list.js";

export function ServicesPage({ locale, session, onSignedOut }: StaffPageProps) {
  const t = servicesTranslator(locale);
  const codes = serviceCodeLabels[locale];
  const centreId = useCentreId(session);
  const canManage = roleCan(session.user.role, "services:manage");
  const [partners, setPartners] = useState<Array<{ id: string; name: string }>>([]);
  const [timeZone, setTimeZone] = useState("Europe/Paris");
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<ServiceForm | null>(null);
  const [notice, setNotice] = useState("");

  const {
    items: services,
    loadError,
    reload: load,
  } = useRecordList(
    centreId ? `${centreId} ${showArchived}` : null,
    () => dataOrThrow(api.GET("/api/services", archivableListQuery(centreId, showArchived))),
    t("networkError"),
    onSignedOut,
  );

  useEffect(() => {
    if (!centreId || !canManage) return;
    dataOrThrow(api.GET("/api/partners", { params: { query: { centreId, limit: 200 } } }))
      .then((page) => setPartners(page.items))
      .catch(() => undefined);
    dataOrThrow(api.GET("/api/centres/{centreId}", { params: { path: { centreId } } }))
      .then((centre) => centre.openingHours?.timeZone && setTimeZone(centre.openingHours.timeZone))
      .catch(() => undefined);
  }, [centreId, canManage]);

  if (!centreId) return <p>{t("noCentre")}</p>;

  if (editing) {
    return (
      <ServiceEditor
        t={t}
        staffLocale={locale}
        codes={codes}
        form={editing}
        partners={partners}
        centreId={centreId}
        onCancel={() => setEditing(null)}
        onSaved={(saved) => {
          setEditing(null);
          setNotice(t("saved", { name: saved.name }));
          void load();
        }}
      />
    );
  }

  const archive = (service: ServiceRecord) =>
    archiveFromList({
      archive: () =>
        dataOrThrow(
          api.POST("/api/services/{serviceId}/archive", { params: { path: { serviceId: service.id } } }),
        ),
      confirm: t("archiveConfirm", { name: service.name }),
      done: t("archivedDone", { name: service.name }),
      networkError: t("networkError"),
      setNotice,
      reload: load,
    });

  return (
    <section class="staff-page" aria-labelledby="services-title">
      <h1 id="services-title">{t("title")}</h1>
      {!canManage && <p>{t("readOnly")}</p>}
      <ActionNotice notice={notice} />
      <div class="toolbar">
        {canManage && (
          <button type="button" class="primary" onClick={() => setEditing(newServiceForm(timeZone))}>
            {t("newService")}
          </button>
        )}
        <ShowArchivedToggle label={t("showArchived")} checked={showArchived} onChange={setShowArchived} />
      </div>
      <RecordList items={services} error={loadError} loading={t("loading")} empty={t("noServices")}>
        {(services) => (
          <ServiceList
            t={t}
            codes={codes}
            locale={locale}
            services={services}
            canManage={canManage}
            onEdit={(service) => setEditing(formOf(service))}
            onArchive={(service) => void archive(service)}
          />
        )}
      </RecordList>
    </section>
  );
}
