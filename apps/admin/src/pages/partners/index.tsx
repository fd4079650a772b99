import type { PartnerRole } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import {
  archiveFromList,
  errorAt,
  errorUnder,
  Field,
  FormActions,
  generalError,
  RecordList,
  ShowArchivedToggle,
  useCentreId,
  useRecordList,
} from "../../components/form.js";
import { type PartnersT, partnersTranslator } from "../../i18n/pages/partners.js";
import type { StaffPageProps } from "../../staff-page.js";
import { PartnerIntegration } from "./integration/index.js";

type Partner = Schemas["Partner"];

const ROLES: PartnerRole[] = [
  "operator",
  "service_provider",
  "referral_destination",
  "funder",
  "public_institution",
];

interface PartnerForm {
  id: string | null;
  name: string;
  roles: PartnerRole[];
  description: string;
  website: string;
  email: string;
  phone: string;
}

const blank: PartnerForm = {
  id: null,
  name: "",
  roles: ["service_provider"],
  description: "",
  website: "",
  email: "",
  phone: "",
};

function formOf(partner: Partner): PartnerForm {
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
    () =>
      dataOrThrow(
        api.GET("/api/partners", {
          params: {
            query: { centreId: centreId ?? "", limit: 200, includeArchived: showArchived ? "true" : "false" },
          },
        }),
      ),
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
      <p class="visually-hidden" aria-live="polite">
        {notice}
      </p>
      {notice && <p class="notice">{notice}</p>}
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => setView({ kind: "form", form: blank })}>
          {t("newPartner")}
        </button>
        <ShowArchivedToggle label={t("showArchived")} checked={showArchived} onChange={setShowArchived} />
      </div>
      <RecordList items={partners} error={loadError} loading={t("loading")} empty={t("noPartners")}>
        {(partners) => (
          <ul class="records">
            {partners.map((partner) => (
              <li key={partner.id} class="record">
                <h2>
                  {partner.name}
                  {partner.archivedAt && <span class="tag"> ({t("archived")})</span>}
                </h2>
                <p class="meta">{partner.roles.map((role) => t(`role_${role}`)).join(" · ")}</p>
                {partner.description && <p>{partner.description}</p>}
                {!partner.archivedAt && (
                  <div class="actions">
                    <button
                      type="button"
                      class="primary"
                      onClick={() => setView({ kind: "detail", partner })}
                    >
                      <span aria-hidden="true">{t("manage")}</span>
                      <span class="visually-hidden">{t("manageOf", { name: partner.name })}</span>
                    </button>
                    <button type="button" onClick={() => setView({ kind: "form", form: formOf(partner) })}>
                      <span aria-hidden="true">{t("edit")}</span>
                      <span class="visually-hidden">{`${t("edit")} ${partner.name}`}</span>
                    </button>
                    <button type="button" onClick={() => void archive(partner)}>
                      <span aria-hidden="true">{t("archive")}</span>
                      <span class="visually-hidden">{`${t("archive")} ${partner.name}`}</span>
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </RecordList>
    </section>
  );
}

function PartnerEditor(props: {
  t: PartnersT;
  form: PartnerForm;
  centreId: string;
  onCancel: () => void;
  onSaved: (partner: Partner) => void;
}) {
  const { t } = props;
  const [form, setForm] = useState(props.form);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const set = (patch: Partial<PartnerForm>) => setForm({ ...form, ...patch });

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const optional = (key: keyof PartnerForm) => {
      const value = String(form[key]).trim();
      return value === "" ? {} : { [key]: value };
    };
    const body = {
      name: form.name,
      roles: form.roles,
      ...optional("description"),
      ...optional("website"),
      ...optional("email"),
      ...optional("phone"),
    };
    try {
      const saved = form.id
        ? await dataOrThrow(
            api.PUT("/api/partners/{partnerId}", { params: { path: { partnerId: form.id } }, body }),
          )
        : await dataOrThrow(api.POST("/api/partners", { body: { centreId: props.centreId, ...body } }));
      props.onSaved(saved);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 });
    } finally {
      setBusy(false);
    }
  }

  const fields = ["name", "description", "website", "email", "phone"] as const;
  const general = generalError(
    problem,
    (path) => path.startsWith("roles") || (fields as readonly string[]).includes(path),
  );
  const rolesError = errorUnder(problem, "roles");
  return (
    <form class="staff-page record-form" onSubmit={submit} noValidate aria-labelledby="partner-form-title">
      <h1 id="partner-form-title" tabIndex={-1} ref={heading}>
        {form.id ? t("formEdit") : t("formNew")}
      </h1>
      {problem && (
        <p class="error" role="alert">
          {general ?? t("fixErrors")}
        </p>
      )}
      <Field id="partner-name" label={t("name")} error={errorAt(problem, "name")}>
        {(a11y) => (
          <input
            {...a11y}
            value={form.name}
            onInput={(e) => set({ name: (e.target as HTMLInputElement).value })}
          />
        )}
      </Field>
      <fieldset class="group" aria-describedby={rolesError ? "partner-roles-error" : undefined}>
        <legend>{t("roles")}</legend>
        {ROLES.map((role) => (
          <label key={role} class="inline">
            <input
              type="checkbox"
              checked={form.roles.includes(role)}
              onChange={(e) =>
                set({
                  roles: (e.target as HTMLInputElement).checked
                    ? [...form.roles, role]
                    : form.roles.filter((r) => r !== role),
                })
              }
            />{" "}
            {t(`role_${role}`)}
          </label>
        ))}
        {rolesError && (
          <p id="partner-roles-error" class="error">
            {rolesError}
          </p>
        )}
      </fieldset>
      <Field id="partner-description" label={t("description")} error={errorAt(problem, "description")}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={form.description}
            onInput={(e) => set({ description: (e.target as HTMLTextAreaElement).value })}
          />
        )}
      </Field>
      <p class="hint">{t("contactHint")}</p>
      {(["website", "email", "phone"] as const).map((key) => (
        <Field key={key} id={`partner-${key}`} label={t(key)} error={errorAt(problem, key)}>
          {(a11y) => (
            <input
              {...a11y}
              inputMode={key === "website" ? "url" : key === "email" ? "email" : "tel"}
              value={form[key]}
              onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
      ))}
      <FormActions
        submit={busy ? t("saving") : t("save")}
        cancel={t("cancel")}
        busy={busy}
        onCancel={props.onCancel}
      />
    </form>
  );
}
