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
// Language codes as the API stores them (ISO 639; `prs` is Dari), shown by their own names.
const LANGUAGES = [
  ["fr", "Français"],
  ["en", "English"],
  ["ar", "العربية"],
  ["prs", "دری"],
  ["ps", "پښتو"],
  ["ti", "ትግርኛ"],
] as const;

/** The optional details of an arrival: age band, gender, language, first visit. */
export function DetailChips(props: {
  t: StaffT;
  problem: Problem | null;
  details: Details;
  setDetails: (details: Details) => void;
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
        options={LANGUAGES.map(([code, name]) => [code, name])}
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

/** A chip per service of the day with its uses and capacity left; the chosen ones go with the next arrival. */
export function ServiceChips(props: {
  t: StaffT;
  cardT: ReturnType<typeof doorCardTranslator>;
  problem: Problem | null;
  services: Schemas["DoorToday"]["services"];
  details: Details;
  setDetails: (details: Details) => void;
}) {
  const { t, cardT, problem, details, setDetails } = props;
  return (
    <section aria-labelledby="services-title">
      <h2 id="services-title">{t("services")}</h2>
      <p class="hint">{cardT("servicesHint")}</p>
      <div class="chip-row">
        {props.services.map((service) => {
          const chosen = details.services?.includes(service.serviceId) === true;
          const values = { name: service.name, uses: service.uses, remaining: service.remaining ?? 0 };
          return (
            <button
              key={service.serviceId}
              type="button"
              class="chip service-chip"
              aria-pressed={chosen}
              onClick={() =>
                setDetails({
                  ...details,
                  services: chosen
                    ? (details.services ?? []).filter((id) => id !== service.serviceId)
                    : [...(details.services ?? []), service.serviceId],
                })
              }
            >
              {cardT(service.remaining == null ? "serviceChip" : "serviceChipRemaining", values)}
            </button>
          );
        })}
      </div>
      {fieldError(problem, "uses") && <p class="error">{fieldError(problem, "uses")}</p>}
    </section>
  );
}

function ChipGroup<V extends string>(props: {
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
