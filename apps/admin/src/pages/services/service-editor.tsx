import { api, dataOrThrow } from "../../api.js";
import { errorAt, Field, FormActions, generalError } from "../../components/form.js";
import { useRecordEditor } from "../../components/record-editor.js";
import type { ServicesT } from "../../i18n/pages/services.js";
import { bodyOf, type ServiceForm, type ServiceRecord } from "./form-model.js";
import { ScheduleExceptions, WeeklySlots } from "./schedule-fields.js";
import { ServiceFields } from "./service-fields.js";
import { TranslationFields } from "./translation-fields.js";

/** Creates or edits a service; the API's errors sit next to the fields they name. */
export function ServiceEditor(props: {
  t: ServicesT;
  /** The staff language, for the translated languages' names. */
  staffLocale: string;
  codes: Record<string, string>;
  form: ServiceForm;
  partners: Array<{ id: string; name: string }>;
  centreId: string;
  onCancel: () => void;
  onSaved: (service: ServiceRecord) => void;
}) {
  const { t, codes } = props;
  const { form, set, problem, busy, heading, submit } = useRecordEditor({
    initial: props.form,
    save: (form: ServiceForm) => {
      const body = bodyOf(form);
      return form.id
        ? dataOrThrow(
            api.PUT("/api/services/{serviceId}", { params: { path: { serviceId: form.id } }, body }),
          )
        : dataOrThrow(api.POST("/api/services", { body: { centreId: props.centreId, ...body } }));
    },
    onSaved: props.onSaved,
    networkError: t("networkError"),
  });

  const top = ["organizationId", "name", "description", "category", "status", "location"];
  const general = generalError(
    problem,
    (path) =>
      top.includes(path) ||
      path.startsWith("languages") ||
      /^translations\.[a-z]{2,3}\.(name|description|location)$/.test(path) ||
      /^schedule\.(dailyCapacity|weekly\.\d+\.\w+|exceptions\.\d+\.(date|kind|reason|slots(\.\d+\.\w+)?))$/.test(
        path,
      ),
  );
  return (
    <form class="staff-page record-form" onSubmit={submit} noValidate aria-labelledby="service-form-title">
      <h1 id="service-form-title" tabIndex={-1} ref={heading}>
        {form.id ? t("formEdit") : t("formNew")}
      </h1>
      {problem && (
        <p class="error" role="alert">
          {general ?? t("fixErrors")}
        </p>
      )}
      <ServiceFields t={t} codes={codes} form={form} problem={problem} partners={props.partners} set={set} />

      <TranslationFields t={t} staffLocale={props.staffLocale} form={form} problem={problem} set={set} />

      <WeeklySlots t={t} form={form} problem={problem} set={set} />
      <ScheduleExceptions t={t} form={form} problem={problem} set={set} />

      <Field
        id="service-dailyCapacity"
        label={t("dailyCapacity")}
        hint={t("dailyCapacityHint")}
        error={errorAt(problem, "schedule", "dailyCapacity")}
      >
        {(a11y) => (
          <input
            {...a11y}
            inputMode="numeric"
            value={form.dailyCapacity}
            onInput={(e) => set({ dailyCapacity: (e.target as HTMLInputElement).value })}
          />
        )}
      </Field>
      <FormActions
        submit={busy ? t("saving") : t("save")}
        cancel={t("cancel")}
        busy={busy}
        onCancel={props.onCancel}
      />
    </form>
  );
}
