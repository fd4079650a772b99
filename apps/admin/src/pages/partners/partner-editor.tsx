import type { PartnerRole } from "@halte/core";
import { api, dataOrThrow } from "../../api.js";
import { errorAt, errorUnder, Field, FormActions, generalError } from "../../components/form.js";
import { useRecordEditor } from "../../components/record-editor.js";
import type { PartnersT } from "../../i18n/pages/partners.js";

import { type Partner, type PartnerForm, ROLES } from "./partner-form.js";

/** Creates or edits a partner organisation: name, roles, description, public contact points. */
export function PartnerEditor(props: {
  t: PartnersT;
  form: PartnerForm;
  centreId: string;
  onCancel: () => void;
  onSaved: (partner: Partner) => void;
}) {
  const { t } = props;
  const { form, set, problem, busy, heading, submit } = useRecordEditor({
    initial: props.form,
    save: (form: PartnerForm) => {
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
      return form.id
        ? dataOrThrow(
            api.PUT("/api/partners/{partnerId}", { params: { path: { partnerId: form.id } }, body }),
          )
        : dataOrThrow(api.POST("/api/partners", { body: { centreId: props.centreId, ...body } }));
    },
    onSaved: props.onSaved,
    networkError: t("networkError"),
  });

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
      <RoleChoice t={t} roles={form.roles} error={rolesError} onChange={(roles) => set({ roles })} />
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

/** The roles an organisation plays for the centre (several may combine). */
function RoleChoice(props: {
  t: PartnersT;
  roles: PartnerRole[];
  error: string | undefined;
  onChange: (roles: PartnerRole[]) => void;
}) {
  const { t } = props;
  const rolesError = props.error;
  return (
    <fieldset class="group" aria-describedby={rolesError ? "partner-roles-error" : undefined}>
      <legend>{t("roles")}</legend>
      {ROLES.map((role) => (
        <label key={role} class="inline">
          <input
            type="checkbox"
            checked={props.roles.includes(role)}
            onChange={(e) =>
              props.onChange(
                (e.target as HTMLInputElement).checked
                  ? [...props.roles, role]
                  : props.roles.filter((r) => r !== role),
              )
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
  );
}
