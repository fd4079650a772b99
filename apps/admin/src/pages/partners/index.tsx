import { useState } from "preact/hooks";
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
import { partnersTranslator } from "../../i18n/pages/partners.js";
import type { StaffPageProps } from "../../staff-page.js";
import { PartnerIntegration } from "./integration/index.js";
import { managesPartnersAt } from "./partner-access.js";
import { PartnerEditor } from "./partner-editor.js";
import { blank, formOf, type Partner, type PartnerForm } from "./partner-form.js";
import { PartnerList } from "./partner-list.js";

type View = { kind: "list" } | { kind: "form"; form: PartnerForm } | { kind: "detail"; partner: Partner };

export function PartnersPage({ locale, session, onSignedOut }: StaffPageProps) {
  const t = partnersTranslator(locale);
  const centreId = useCentreId(session);
  const [showArchived, setShowArchived] = useState(false);
  const [view, setView] = useState<View>({ kind: "list" });
  const [notice, setNotice] = useState("");

  const {
    items: partners,
    loadError,
    reload: load,
  } = useRecordList(
    centreId ? `${centreId} ${showArchived}` : null,
    () => dataOrThrow(api.GET("/api/partners", archivableListQuery(centreId, showArchived))),
    t("networkError"),
    onSignedOut,
  );

  if (!centreId) return <p>{t("noCentre")}</p>;
  if (view.kind === "form") {
    return (
      <PartnerEditor
        t={t}
        form={view.form}
        centreId={centreId}
        onCancel={() => setView({ kind: "list" })}
        onSaved={(saved) => {
          setView({ kind: "list" });
          setNotice(t("saved", { name: saved.name }));
          void load();
        }}
      />
    );
  }
  if (view.kind === "detail") {
    return (
      <PartnerIntegration
        t={t}
        locale={locale}
        session={session}
        partner={view.partner}
        onBack={() => setView({ kind: "list" })}
      />
    );
  }

  const archive = (partner: Partner) =>
    archiveFromList({
      archive: () =>
        dataOrThrow(
          api.POST("/api/partners/{partnerId}/archive", { params: { path: { partnerId: partner.id } } }),
        ),
      confirm: t("archiveConfirm", { name: partner.name }),
      done: t("archivedDone", { name: partner.name }),
      networkError: t("networkError"),
      setNotice,
      reload: load,
    });

  return (
    <section class="staff-page" aria-labelledby="partners-title">
      <h1 id="partners-title">{t("title")}</h1>
      <ActionNotice notice={notice} />
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => setView({ kind: "form", form: blank })}>
          {t("newPartner")}
        </button>
        <ShowArchivedToggle label={t("showArchived")} checked={showArchived} onChange={setShowArchived} />
      </div>
      <RecordList items={partners} error={loadError} loading={t("loading")} empty={t("noPartners")}>
        {(partners) => (
          <PartnerList
            t={t}
            partners={partners}
            mayChange={(partner) => managesPartnersAt(session, partner.centreId)}
            onManage={(partner) => setView({ kind: "detail", partner })}
            onEdit={(partner) => setView({ kind: "form", form: formOf(partner) })}
            onArchive={(partner) => void archive(partner)}
          />
        )}
      </RecordList>
    </section>
  );
}
