import { type LessonsT, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";

import { STATUSES, statusKey, THEMES, TYPES } from "./shared.js";

type Filters = { type: string; theme: string; status: string };

/** The list's filters (type, theme, review status), applied together with the button. */
export function LessonFilters(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  onApply: (filters: Filters) => void;
}) {
  const { t } = props;
  const words = lessonVocabulary[props.locale];
  return (
    <form
      class="report-controls"
      aria-label={t("filters")}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget as HTMLFormElement);
        props.onApply({
          type: String(form.get("type") ?? ""),
          theme: String(form.get("theme") ?? ""),
          status: String(form.get("status") ?? ""),
        });
      }}
    >
      <Choice
        name="type"
        label={t("type")}
        any={t("any")}
        options={TYPES.map((v) => [v, words.types[v] ?? v])}
      />
      <Choice
        name="theme"
        label={t("theme")}
        any={t("any")}
        options={THEMES.map((v) => [v, words.themes[v] ?? v])}
      />
      <Choice
        name="status"
        label={t("status")}
        any={t("any")}
        options={STATUSES.map((v) => [v, t(statusKey[v])])}
      />
      <button type="submit" class="primary">
        {t("apply")}
      </button>
    </form>
  );
}

function Choice(props: {
  name: string;
  label: string;
  any: string;
  options: Array<readonly [string, string]>;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
