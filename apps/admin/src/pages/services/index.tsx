import { roleCan, type Service, ServiceCategory, ServiceStatus } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import {
  archiveFromList,
  errorAt,
  errorUnder,
  Field,
  FormActions,
  formatInstant,
  generalError,
  RecordList,
  ShowArchivedToggle,
  useCentreId,
  useRecordList,
} from "../../components/form.js";
import { type ServicesT, serviceCodeLabels, servicesTranslator } from "../../i18n/pages/services.js";
import type { StaffPageProps } from "../../staff-page.js";

/** A service as the API returns it: the stored record plus whether it is open now. */
type ServiceRecord = Schemas["Service"];
type ServiceInput = Schemas["ServiceInput"];

const CATEGORIES = ServiceCategory.options;
const STATUSES = ServiceStatus.options;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

interface SlotForm {
  weekday: string;
  opensAt: string;
  closesAt: string;
  capacity: string;
}
interface ExceptionForm {
  date: string;
  kind: "closed" | "open";
  reason: string;
  slots: SlotForm[];
}
interface ServiceForm {
  id: string | null;
  organizationId: string;
  name: string;
  description: string;
  category: ServiceInput["category"];
  status: ServiceInput["status"];
  languages: string;
  location: string;
  timeZone: string;
  weekly: SlotForm[];
  exceptions: ExceptionForm[];
  dailyCapacity: string;
  translations: Service["translations"];
}

const emptySlot = (weekday = "1"): SlotForm => ({
  weekday,
  opensAt: "09:00",
  closesAt: "12:00",
  capacity: "",
});

function formOf(service: Service): ServiceForm {
  const slot = (s: { opensAt: string; closesAt: string; capacity?: number | undefined }, weekday = "") => ({
    weekday,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    capacity: s.capacity === undefined ? "" : String(s.capacity),
  });
  return {
    id: service.id,
    organizationId: service.organizationId,
    name: service.name,
    description: service.description ?? "",
    category: service.category,
    status: service.status,
    languages: service.languages.join(", "),
    location: service.location ?? "",
    timeZone: service.schedule.timeZone,
    weekly: service.schedule.weekly.map((s) => slot(s, String(s.weekday))),
    exceptions: service.schedule.exceptions.map((e) => ({
      date: e.date,
      kind: e.kind,
      reason: e.reason ?? "",
      slots: e.kind === "open" ? e.slots.map((s) => slot(s)) : [],
    })),
    dailyCapacity: service.schedule.dailyCapacity === undefined ? "" : String(service.schedule.dailyCapacity),
    translations: service.translations,
  };
}

/** A number typed in a field; anything else goes as typed so the API names the field in its answer. */
/**
 * The number typed, or the text itself when it is not one: the API's own field error then names the field
 * (the document says a number; the cast is that deliberate exception).
 */
function numberOrText(value: string): number {
  const number = Number(value.trim());
  return (value.trim() !== "" && Number.isFinite(number) ? number : value) as number;
}

function slotBody(slot: SlotForm) {
  return {
    opensAt: slot.opensAt.trim(),
    closesAt: slot.closesAt.trim(),
    ...(slot.capacity.trim() === "" ? {} : { capacity: numberOrText(slot.capacity) }),
  };
}

/** The body of `POST /api/services` (with `centreId`) or `PUT /api/services/{id}`. */
function bodyOf(form: ServiceForm): Schemas["ServiceInput"] {
  const optional = (key: string, value: string) => (value.trim() === "" ? {} : { [key]: value.trim() });
  return {
    organizationId: form.organizationId,
    name: form.name,
    ...optional("description", form.description),
    category: form.category,
    status: form.status,
    languages: form.languages
      .split(/[\s,]+/)
      .map((code) => code.trim())
      .filter(Boolean),
    ...optional("location", form.location),
    schedule: {
      timeZone: form.timeZone,
      weekly: form.weekly.map((slot) => ({ weekday: numberOrText(slot.weekday), ...slotBody(slot) })),
      exceptions: form.exceptions.map((exception) =>
        exception.kind === "open"
          ? {
              date: exception.date,
              kind: "open",
              ...optional("reason", exception.reason),
              slots: exception.slots.map(slotBody),
            }
          : { date: exception.date, kind: "closed", ...optional("reason", exception.reason) },
      ),
      ...(form.dailyCapacity.trim() === "" ? {} : { dailyCapacity: numberOrText(form.dailyCapacity) }),
    },
    translations: form.translations,
  };
}

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
    () =>
      dataOrThrow(
        api.GET("/api/services", {
          params: {
            query: { centreId: centreId ?? "", limit: 200, includeArchived: showArchived ? "true" : "false" },
          },
        }),
      ),
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
      <p class="visually-hidden" aria-live="polite">
        {notice}
      </p>
      {notice && <p class="notice">{notice}</p>}
      <div class="toolbar">
        {canManage && (
          <button
            type="button"
            class="primary"
            onClick={() =>
              setEditing({
                id: null,
                organizationId: "",
                name: "",
                description: "",
                category: "other",
                status: "active",
                languages: "fr",
                location: "",
                timeZone,
                weekly: [],
                exceptions: [],
                dailyCapacity: "",
                translations: {},
              })
            }
          >
            {t("newService")}
          </button>
        )}
        <ShowArchivedToggle label={t("showArchived")} checked={showArchived} onChange={setShowArchived} />
      </div>
      <RecordList items={services} error={loadError} loading={t("loading")} empty={t("noServices")}>
        {(services) => (
          <ul class="records">
            {services.map((service) => (
              <li key={service.id} class="record" data-service={service.id}>
                <h2>
                  {service.name}
                  {service.archivedAt && <span class="tag"> ({t("archived")})</span>}
                </h2>
                <p class="meta">
                  {codes[service.category]} · {codes[service.status]}
                </p>
                <p class={service.openingStatus.open ? "badge open" : "badge closed"}>
                  {openingText(t, locale, service)}
                </p>
                <p class="capacity">
                  {service.schedule.dailyCapacity === undefined
                    ? t("noCapacity")
                    : t("capacityPerDay", { n: service.schedule.dailyCapacity })}
                </p>
                {service.languages.length > 0 && (
                  <p>{t("languagesList", { list: service.languages.join(", ") })}</p>
                )}
                {canManage && !service.archivedAt && (
                  <div class="actions">
                    <button type="button" onClick={() => setEditing(formOf(service))}>
                      <span aria-hidden="true">{t("edit")}</span>
                      <span class="visually-hidden">{t("editOf", { name: service.name })}</span>
                    </button>
                    <button type="button" onClick={() => void archive(service)}>
                      <span aria-hidden="true">{t("archive")}</span>
                      <span class="visually-hidden">{t("archiveOf", { name: service.name })}</span>
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

function openingText(t: ServicesT, locale: string, service: ServiceRecord): string {
  const zone = service.schedule.timeZone;
  const { open, closesAt, nextOpensAt } = service.openingStatus;
  if (open) return closesAt ? t("openNow", { time: formatInstant(locale, closesAt, zone) }) : t("openNoEnd");
  return nextOpensAt
    ? t("closedNext", { time: formatInstant(locale, nextOpensAt, zone) })
    : t("closedNoNext");
}

function ServiceEditor(props: {
  t: ServicesT;
  codes: Record<string, string>;
  form: ServiceForm;
  partners: Array<{ id: string; name: string }>;
  centreId: string;
  onCancel: () => void;
  onSaved: (service: ServiceRecord) => void;
}) {
  const { t, codes } = props;
  const [form, setForm] = useState(props.form);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const set = (patch: Partial<ServiceForm>) => setForm({ ...form, ...patch });
  const setSlot = (index: number, patch: Partial<SlotForm>) =>
    set({ weekly: form.weekly.map((slot, i) => (i === index ? { ...slot, ...patch } : slot)) });
  const setException = (index: number, patch: Partial<ExceptionForm>) =>
    set({ exceptions: form.exceptions.map((e, i) => (i === index ? { ...e, ...patch } : e)) });

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const body = bodyOf(form);
      const saved = form.id
        ? await dataOrThrow(
            api.PUT("/api/services/{serviceId}", { params: { path: { serviceId: form.id } }, body }),
          )
        : await dataOrThrow(api.POST("/api/services", { body: { centreId: props.centreId, ...body } }));
      props.onSaved(saved);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 });
    } finally {
      setBusy(false);
    }
  }

  const top = ["organizationId", "name", "description", "category", "status", "location"];
  const general = generalError(
    problem,
    (path) =>
      top.includes(path) ||
      path.startsWith("languages") ||
      /^schedule\.(dailyCapacity|weekly\.\d+\.\w+|exceptions\.\d+\.(date|kind|reason|slots(\.\d+\.\w+)?))$/.test(
        path,
      ),
  );
  const text = (key: "name" | "description" | "location", label: string, multiline = false) => (
    <Field id={`service-${key}`} label={label} error={errorAt(problem, key)}>
      {(a11y) =>
        multiline ? (
          <textarea
            {...a11y}
            rows={3}
            value={form[key]}
            onInput={(e) => set({ [key]: (e.target as HTMLTextAreaElement).value })}
          />
        ) : (
          <input
            {...a11y}
            value={form[key]}
            onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
          />
        )
      }
    </Field>
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
      {text("name", t("name"))}
      {text("description", t("description"), true)}
      <Field id="service-organizationId" label={t("provider")} error={errorAt(problem, "organizationId")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.organizationId}
            onChange={(e) => set({ organizationId: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{t("chooseProvider")}</option>
            {props.partners.map((partner) => (
              <option key={partner.id} value={partner.id}>
                {partner.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="service-category" label={t("category")} error={errorAt(problem, "category")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.category}
            onChange={(e) =>
              set({ category: (e.target as HTMLSelectElement).value as ServiceInput["category"] })
            }
          >
            {CATEGORIES.map((code) => (
              <option key={code} value={code}>
                {codes[code]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="service-status" label={t("status")} error={errorAt(problem, "status")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.status}
            onChange={(e) => set({ status: (e.target as HTMLSelectElement).value as ServiceInput["status"] })}
          >
            {STATUSES.map((code) => (
              <option key={code} value={code}>
                {codes[code]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="service-languages"
        label={t("languages")}
        hint={t("languagesHint")}
        error={errorUnder(problem, "languages")}
      >
        {(a11y) => (
          <input
            {...a11y}
            value={form.languages}
            onInput={(e) => set({ languages: (e.target as HTMLInputElement).value })}
          />
        )}
      </Field>
      {text("location", t("location"))}

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

      <fieldset class="group">
        <legend>{t("exceptions")}</legend>
        {form.exceptions.length === 0 && <p>{t("noExceptions")}</p>}
        {form.exceptions.map((exception, index) => {
          const path = ["schedule", "exceptions", index] as const;
          return (
            <fieldset class="slot" key={index}>
              <legend>{t("exceptionOf", { n: index + 1 })}</legend>
              <Field
                id={`exception-${index}-date`}
                label={t("date")}
                error={errorAt(problem, ...path, "date")}
              >
                {(a11y) => (
                  <input
                    {...a11y}
                    type="date"
                    value={exception.date}
                    onInput={(e) => setException(index, { date: (e.target as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <Field
                id={`exception-${index}-kind`}
                label={t("kind")}
                error={errorAt(problem, ...path, "kind")}
              >
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
