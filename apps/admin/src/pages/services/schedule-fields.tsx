// The schedule part of the service form: weekly slots, dated exceptions, and a slot's times and capacity.
import type { Problem } from "../../api.js";
import { errorAt, Field } from "../../components/form.js";
import type { ServicesT } from "../../i18n/pages/services.js";
import { type ExceptionForm, emptySlot, type ServiceForm, type SlotForm, WEEKDAYS } from "./form-model.js";

interface ScheduleProps {
  t: ServicesT;
  form: ServiceForm;
  problem: Problem | null;
  set: (patch: Partial<ServiceForm>) => void;
}

/** The weekly opening slots, each a weekday with its times and capacity. */
export function WeeklySlots({ t, form, problem, set }: ScheduleProps) {
  const setSlot = (index: number, patch: Partial<SlotForm>) =>
    set({ weekly: form.weekly.map((slot, i) => (i === index ? { ...slot, ...patch } : slot)) });
  return (
    <fieldset class="group">
      <legend>{t("weekly")}</legend>
      <p class="hint">{t("weeklyHint", { zone: form.timeZone })}</p>
      {form.weekly.length === 0 && <p>{t("noSlots")}</p>}
      {form.weekly.map((slot, index) => (
        <fieldset class="slot" key={index}>
          <legend>{t("slotOf", { n: index + 1 })}</legend>
          <Field
            id={`weekly-${index}-weekday`}
            label={t("weekday")}
            error={errorAt(problem, "schedule", "weekly", index, "weekday")}
          >
            {(a11y) => (
              <select
                {...a11y}
                value={slot.weekday}
                onChange={(e) => setSlot(index, { weekday: (e.target as HTMLSelectElement).value })}
              >
                {WEEKDAYS.map((day) => (
                  <option key={day} value={String(day)}>
                    {t(`day${day}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SlotTimes
            t={t}
            idPrefix={`weekly-${index}`}
            slot={slot}
            problem={problem}
            path={["schedule", "weekly", index]}
            onChange={(patch) => setSlot(index, patch)}
          />
          <button type="button" onClick={() => set({ weekly: form.weekly.filter((_, i) => i !== index) })}>
            {t("removeSlot")}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => set({ weekly: [...form.weekly, emptySlot(form.weekly.at(-1)?.weekday)] })}
      >
        {t("addSlot")}
      </button>
    </fieldset>
  );
}

/** Dated exceptions: a closure, or an opening with its own slots. */
export function ScheduleExceptions({ t, form, problem, set }: ScheduleProps) {
  const setException = (index: number, patch: Partial<ExceptionForm>) =>
    set({ exceptions: form.exceptions.map((e, i) => (i === index ? { ...e, ...patch } : e)) });
  return (
    <fieldset class="group">
      <legend>{t("exceptions")}</legend>
      {form.exceptions.length === 0 && <p>{t("noExceptions")}</p>}
      {form.exceptions.map((exception, index) => {
        const path = ["schedule", "exceptions", index] as const;
        return (
          <fieldset class="slot" key={index}>
            <legend>{t("exceptionOf", { n: index + 1 })}</legend>
            <Field id={`exception-${index}-date`} label={t("date")} error={errorAt(problem, ...path, "date")}>
              {(a11y) => (
                <input
                  {...a11y}
                  type="date"
                  value={exception.date}
                  onInput={(e) => setException(index, { date: (e.target as HTMLInputElement).value })}
                />
              )}
            </Field>
            <Field id={`exception-${index}-kind`} label={t("kind")} error={errorAt(problem, ...path, "kind")}>
              {(a11y) => (
                <select
                  {...a11y}
                  value={exception.kind}
                  onChange={(e) => {
                    const kind = (e.target as HTMLSelectElement).value as ExceptionForm["kind"];
                    setException(index, {
                      kind,
                      slots:
                        kind === "open" && exception.slots.length === 0 ? [emptySlot()] : exception.slots,
                    });
                  }}
                >
                  <option value="closed">{t("kindClosed")}</option>
                  <option value="open">{t("kindOpen")}</option>
                </select>
              )}
            </Field>
            <Field
              id={`exception-${index}-reason`}
              label={t("reason")}
              error={errorAt(problem, ...path, "reason")}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  value={exception.reason}
                  onInput={(e) => setException(index, { reason: (e.target as HTMLInputElement).value })}
                />
              )}
            </Field>
            {exception.kind === "open" && (
              <>
                {errorAt(problem, ...path, "slots") && (
                  <p class="error">{errorAt(problem, ...path, "slots")}</p>
                )}
                {exception.slots.map((slot, slotIndex) => (
                  <div class="slot-times" key={slotIndex}>
                    <SlotTimes
                      t={t}
                      idPrefix={`exception-${index}-slot-${slotIndex}`}
                      slot={slot}
                      problem={problem}
                      path={[...path, "slots", slotIndex]}
                      onChange={(patch) =>
                        setException(index, {
                          slots: exception.slots.map((s, i) => (i === slotIndex ? { ...s, ...patch } : s)),
                        })
                      }
                    />
                  </div>
                ))}
                <button
                  type="button"
                  onClick={() => setException(index, { slots: [...exception.slots, emptySlot()] })}
                >
                  {t("addExceptionSlot")}
                </button>
              </>
            )}
            <button
              type="button"
              onClick={() => set({ exceptions: form.exceptions.filter((_, i) => i !== index) })}
            >
              {t("removeException")}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() =>
          set({ exceptions: [...form.exceptions, { date: "", kind: "closed", reason: "", slots: [] }] })
        }
      >
        {t("addException")}
      </button>
    </fieldset>
  );
}

function SlotTimes(props: {
  t: ServicesT;
  idPrefix: string;
  slot: SlotForm;
  problem: Problem | null;
  path: ReadonlyArray<string | number>;
  onChange: (patch: Partial<SlotForm>) => void;
}) {
  const { t, slot, problem, path } = props;
  const input = (key: "opensAt" | "closesAt" | "capacity", label: string) => (
    <Field id={`${props.idPrefix}-${key}`} label={label} error={errorAt(problem, ...path, key)}>
      {(a11y) => (
        <input
          {...a11y}
          class="short"
          inputMode={key === "capacity" ? "numeric" : "text"}
          placeholder={key === "capacity" ? "" : "HH:MM"}
          value={slot[key]}
          onInput={(e) => props.onChange({ [key]: (e.target as HTMLInputElement).value })}
        />
      )}
    </Field>
  );
  return (
    <>
      {input("opensAt", t("opensAt"))}
      {input("closesAt", t("closesAt"))}
      {input("capacity", t("slotCapacity"))}
    </>
  );
}
