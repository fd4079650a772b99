import { fieldError, type Problem, type Schemas } from "../../api.js";
import type { QueuedVisit } from "../../door-queue.js";
import type { StaffT } from "../../i18n/locales.js";
import type { doorCardTranslator } from "../../i18n/pages/door.js";

export interface Details {
  ageBand?: QueuedVisit["ageBand"];
  gender?: QueuedVisit["gender"];
  language?: string;
  firstVisit?: boolean;
  /** Ids of the services chosen for this arrival. */
  services?: string[];
}

const AGE_BANDS = ["0-4", "5-11", "12-17", "18-59", "60+"] as const;
const GENDERS = [
  ["female", "genderFemale"],
  ["male", "genderMale"],
  ["other", "genderOther"],
] as const;

/** The optional details of an arrival: age band, gender, language (the centre's door list), first visit. */
export function DetailChips(props: {
  t: StaffT;
  problem: Problem | null;
  details: Details;
  setDetails: (details: Details) => void;
  languages: Schemas["DoorToday"]["languages"];
}) {
  const { t, problem, details, setDetails } = props;
  return (
    <fieldset class="chips">
      <legend>{t("optionalDetails")}</legend>
      <ChipGroup
        label={t("ageBand")}
        field="ageBand"
        problem={problem}
        options={AGE_BANDS.map((band) => [band, band])}
        value={details.ageBand}
        onChange={(ageBand) => setDetails({ ...details, ageBand })}
      />
      <ChipGroup
        label={t("gender")}
        field="gender"
        problem={problem}
        options={GENDERS.map(([value, key]) => [value, t(key)])}
        value={details.gender}
        onChange={(gender) => setDetails({ ...details, gender })}
      />
      <ChipGroup
        label={t("spokenLanguage")}
        field="languages"
        problem={problem}
        options={props.languages.map((language) => [language.code, language.name])}
        langs={props.languages}
        value={details.language}
        onChange={(language) => setDetails({ ...details, language })}
      />
      <div class="chip-row">
        <button
          type="button"
          class="chip"
          aria-pressed={details.firstVisit === true}
          onClick={() => setDetails({ ...details, firstVisit: !details.firstVisit })}
        >
          {t("firstVisit")}
        </button>
        {fieldError(problem, "firstVisit") && <p class="error">{fieldError(problem, "firstVisit")}</p>}
      </div>
    </fieldset>
  );
}

type DoorService = Schemas["DoorToday"]["services"][number];

/**
 * Whether a service can be tapped now: not when its status is not active, when its schedule has it closed
 * at this moment (from today's openings, so it holds offline too), or when today's capacity is used up.
 */
export function serviceState(service: DoorService, uses: number, now: Date): "open" | "closed" | "full" {
  const at = now.getTime();
  const openNow = service.openings.some(
    (opening) => Date.parse(opening.start) <= at && at < Date.parse(opening.end),
  );
  if (service.status !== "active" || !openNow) return "closed";
  if (service.capacity !== null && uses >= service.capacity) return "full";
  return "open";
}

/**
 * A row per service of the day: its chip (chosen ones go with the next arrival) with its uses and capacity
 * left, and a "+1" that counts a use by someone already inside. Closed and full services say so and
 * cannot be tapped.
 */
export function ServiceChips(props: {
  t: StaffT;
  cardT: ReturnType<typeof doorCardTranslator>;
  problem: Problem | null;
  services: DoorService[];
  uses: ReadonlyMap<string, number>;
  now: Date;
  details: Details;
  setDetails: (details: Details) => void;
  onUse: (service: DoorService) => void;
}) {
  const { t, cardT, problem, details, setDetails } = props;
  return (
    <section aria-labelledby="services-title" class="door-services">
      <h2 id="services-title">{t("services")}</h2>
      <p class="hint">{cardT("servicesHint")}</p>
      <ul class="service-rows">
        {props.services.map((service) => {
          const uses = props.uses.get(service.serviceId) ?? service.uses;
          const state = serviceState(service, uses, props.now);
          const chosen = state === "open" && details.services?.includes(service.serviceId) === true;
          const values = {
            name: service.name,
            uses,
            remaining: service.capacity === null ? 0 : Math.max(0, service.capacity - uses),
          };
          const label =
            state === "closed"
              ? cardT("serviceClosed", values)
              : state === "full"
                ? cardT("serviceFull", values)
                : cardT(service.capacity === null ? "serviceChip" : "serviceChipRemaining", values);
          return (
            <li key={service.serviceId} class={`service-row ${state}`}>
              <button
                type="button"
                class="chip service-chip"
                aria-pressed={chosen}
                disabled={state !== "open"}
                onClick={() =>
                  setDetails({
                    ...details,
                    services: chosen
                      ? (details.services ?? []).filter((id) => id !== service.serviceId)
                      : [...(details.services ?? []), service.serviceId],
                  })
                }
              >
                {label}
              </button>
              <button
                type="button"
                class="chip plus-one"
                disabled={state !== "open"}
                aria-label={cardT("plusOneLabel", { name: service.name })}
                onClick={() => props.onUse(service)}
              >
                +1
              </button>
            </li>
          );
        })}
      </ul>
      {fieldError(problem, "uses") && <p class="error">{fieldError(problem, "uses")}</p>}
    </section>
  );
}

function ChipGroup<V extends string>(props: {
  /** For language names: each chip's own `lang` and `dir`. */
  langs?: Schemas["DoorToday"]["languages"];
  label: string;
  field: string;
  problem: Problem | null;
  options: Array<readonly [V, string]>;
  value: V | undefined;
  onChange: (value: V | undefined) => void;
}) {
  const error = fieldError(props.problem, props.field);
  const id = `chips-${props.field}`;
  return (
    <fieldset class="chip-row" aria-describedby={error ? `${id}-error` : undefined}>
      <legend id={id} class="chip-label">
        {props.label}
      </legend>
      {props.options.map(([value, label]) => (
        <button
          key={value}
          type="button"
          class="chip"
          aria-pressed={props.value === value}
          lang={props.langs?.find((language) => language.code === value)?.code}
          dir={props.langs?.find((language) => language.code === value)?.dir}
          onClick={() => props.onChange(props.value === value ? undefined : value)}
        >
          {label}
        </button>
      ))}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
