// What the list pages (services, partners, referrals) share: the centre they work on, a list loaded from the
// API, its "show archived" switch, and archiving one record.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Session } from "../api.js";

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

/** The query of a list page: its centre, one page of up to 200, and the archived records when asked for. */
export function archivableListQuery(centreId: string | null, showArchived: boolean) {
  return {
    params: {
      query: {
        centreId: centreId ?? "",
        limit: 200,
        ...(showArchived ? { includeArchived: "true" as const } : {}),
      },
    },
  };
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

/** What the last action did ("Saved …", "Archived …"): shown, and announced to screen readers. */
export function ActionNotice(props: { notice: string }) {
  return (
    <>
      <p class="visually-hidden" aria-live="polite">
        {props.notice}
      </p>
      {props.notice && <p class="notice">{props.notice}</p>}
    </>
  );
}
