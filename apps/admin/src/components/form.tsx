// Form pieces shared by the staff pages: an API error put next to the field it names (by its exact path),
// a labelled field, a form's buttons, and a date shown in the staff language.
import type { ComponentChildren } from "preact";
import type { Problem } from "../api.js";

/** The message of the API's error about exactly this path (e.g. `schedule.weekly.2.opensAt`), if any. */
export function errorAt(problem: Problem | null, ...path: Array<string | number>): string | undefined {
  const wanted = path.join(".");
  return problem?.errors?.find((error) => error.path.join(".") === wanted)?.message;
}

/** The first message of the API's errors at this path or below it (e.g. `languages` for `languages.3`). */
export function errorUnder(problem: Problem | null, ...path: Array<string | number>): string | undefined {
  const wanted = path.join(".");
  return problem?.errors?.find((error) => `${error.path.join(".")}.`.startsWith(`${wanted}.`))?.message;
}

/**
 * What to show above a form: the problem's detail when none of its errors can sit next to a field of the
 * form (`shown` lists the paths the form displays), else nothing.
 */
export function generalError(problem: Problem | null, shown: (path: string) => boolean): string | null {
  if (!problem) return null;
  const placed = (problem.errors ?? []).filter((error) => shown(error.path.join(".")));
  if (placed.length > 0 && placed.length === (problem.errors ?? []).length) return null;
  const rest = (problem.errors ?? []).filter((error) => !shown(error.path.join(".")));
  const detail = problem.detail ?? problem.title;
  return rest.length > 0
    ? `${detail} — ${rest.map((e) => `${e.path.join(".")}: ${e.message}`).join("; ")}`
    : detail;
}

/** A labelled control with its error below it, tied together for assistive technologies. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (described: {
    id: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
  }) => ComponentChildren;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {props.children({
        id: props.id,
        ...(props.error ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {props.error && (
        <p id={`${props.id}-error`} class="error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A form's two buttons: submit (`submit`, disabled while `busy`) and cancel. */
export function FormActions(props: { submit: string; cancel: string; busy?: boolean; onCancel: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={props.busy}>
        {props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        {props.cancel}
      </button>
    </div>
  );
}

/**
 * A date and time in a time zone, in the staff language. English is formatted the British way (24-hour
 * clock, day before month), as the centres this serves read times.
 */
export function formatInstant(locale: string, instant: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : locale, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(instant));
}
