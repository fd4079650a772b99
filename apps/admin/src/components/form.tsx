// Form pieces shared by the services, partners and referrals pages: an API error put next to the field it
// names (by its exact path), and the centre a staff page works on.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Session } from "../api.js";

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

/** The centre a staff member works at; an admin of every centre works on the first centre the API lists. */
export function useCentreId(session: Session): string | null {
  const [centreId, setCentreId] = useState<string | null>(session.user.centreId);
  useEffect(() => {
    if (centreId) return;
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 1 } } }))
      .then((page) => setCentreId(page.items[0]?.id ?? null))
      .catch(() => undefined);
  }, [centreId]);
  return centreId;
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

/**
 * The records a list page shows (one page of up to 200), loaded with `load` whenever `key` (what is asked
 * for, null: not yet, e.g. no centre chosen) changes or `reload` is called. A failure reads as the API's problem title
 * (or `networkError`); a 401 means the session ended, and `onSignedOut` is called.
 */
export function useRecordList<T>(
  key: string | null,
  load: () => Promise<{ items: T[] }>,
  networkError: string,
  onSignedOut: () => void,
): { items: T[] | null; loadError: string | null; reload: () => Promise<void> } {
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const loader = useRef(load);
  loader.current = load;
  const [items, setItems] = useState<T[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (!key) return;
    try {
      const page = await loader.current();
      setItems(page.items);
      setLoadError(null);
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 401) signedOut.current();
      setLoadError(problemMessage(error, networkError));
    }
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, loadError, reload };
}

/** What to tell the user about a failed call: the API's problem (detail, else title), or `networkError`. */
export function problemMessage(error: unknown, networkError: string): string {
  return error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : networkError;
}

/**
 * Archives one record of a list page once the user confirms `confirm`: calls `archive`, says `done` in the
 * page's notice and reloads the list; a refusal or a network failure is said in the notice instead.
 */
export async function archiveFromList(options: {
  archive: () => Promise<unknown>;
  confirm: string;
  done: string;
  networkError: string;
  setNotice: (text: string) => void;
  reload: () => Promise<void>;
}): Promise<void> {
  if (!confirm(options.confirm)) return;
  try {
    await options.archive();
    options.setNotice(options.done);
    await options.reload();
  } catch (error) {
    options.setNotice(problemMessage(error, options.networkError));
  }
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

/** The "show archived" switch of a list page's toolbar. */
export function ShowArchivedToggle(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="inline">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange((event.target as HTMLInputElement).checked)}
      />{" "}
      {props.label}
    </label>
  );
}

/**
 * A list page's records, or what stands instead: the load error (announced), "loading" until the first
 * answer, the empty message when there is none; `children` draws the records.
 */
export function RecordList<T>(props: {
  items: T[] | null;
  error: string | null;
  loading: string;
  empty: string;
  children: (items: T[]) => ComponentChildren;
}) {
  return (
    <>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {props.items === null ? (
        <p class="loading">{props.loading}</p>
      ) : props.items.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        props.children(props.items)
      )}
    </>
  );
}
