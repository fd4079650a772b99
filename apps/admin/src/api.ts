import type { Role } from "@halte/core";
import createClient from "openapi-fetch";
import type { components, paths } from "./api-schema.gen.js";
import { doorDeviceSession } from "./door-device.js";
import type { StaffLocale } from "./i18n/locales.js";

/**
 * The API's wire shapes, generated from its OpenAPI document (scripts/api-types.ts, docs/admin.md): pages
 * name them as `Schemas["Service"]` and never declare a response shape by hand.
 */
export type Schemas = components["schemas"];

/**
 * RFC 9457 problem details as the API sends them (docs/api.md), with per-field errors. Only `title` and
 * `status` are sure: a refusal from something other than the API (a proxy, a dropped connection) has no body.
 */
export type Problem = Pick<Schemas["ProblemDetails"], "title" | "status"> &
  Partial<Schemas["ProblemDetails"]>;

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/**
 * The signed-in user. The document publishes `role` as a plain string; the API only ever sends one of
 * core's roles, which the menu and the pages' permission checks need.
 */
export type SessionUser = Omit<Schemas["Session"]["user"], "role"> & { role: Role };
export type Session = Omit<Schemas["Session"], "user"> & { user: SessionUser };

// A staff session's CSRF token lives in memory and in sessionStorage (this tab only, gone when it closes):
// never in localStorage, never in a cookie readable by script. The session cookie itself is HttpOnly. A door
// device's CSRF token is the one exception, kept in localStorage so the door starts offline in a new tab
// (door-device.ts, docs/security.md): without the device's HttpOnly cookie it is worth nothing.
const SESSION_KEY = "halte.session";
let current: Session | null = readStoredSession();

function readStoredSession(): Session | null {
  try {
    const text = sessionStorage.getItem(SESSION_KEY);
    // With no staff session in this tab, a door device set up on this browser (door-device.ts).
    return text ? (JSON.parse(text) as Session) : doorDeviceSession();
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  return current;
}

export function rememberSession(session: Session | null): void {
  current = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  // Signing out of a staff session hands the door back to the device, when this browser is one.
  if (!session) current = doorDeviceSession();
}

/**
 * The typed client for the API on the same origin (openapi-fetch over the generated `paths`): paths,
 * parameters, bodies and answers are checked against the OpenAPI document at build time. Writes carry the
 * CSRF token. Pass its answers through {@link dataOrThrow}.
 */
export const api = createClient<paths, "application/json">({
  credentials: "same-origin",
  headers: { accept: "application/json" },
});

api.use({
  onRequest({ request }) {
    if (request.method !== "GET" && current) request.headers.set("x-csrf-token", current.csrfToken);
    return request;
  },
});

// The staff language the API's refusals are shown in (the app sets it when the staff switch language).
let problemLocale: StaffLocale = "fr";

/** Shows the API's refusals in this staff language from now on (i18n/problem-messages.ts). */
export function setProblemLocale(locale: StaffLocale): void {
  problemLocale = locale;
}

type Answer = { data?: unknown; error?: unknown; response: Response };
/** The body type of an answer's 2xx case; `undefined` for operations that answer 204. */
type DataOf<A extends Answer> = [Exclude<A["data"], undefined>] extends [never]
  ? undefined
  : Exclude<A["data"], undefined>;

/**
 * The body of a 2xx answer (`undefined` for 204); every other answer becomes an `ApiError` holding the
 * problem details in the staff language (titles and field messages chosen by their stable codes), so pages can put each field's message next to the field. A network failure rejects
 * with the browser's own error (the door page queues on it).
 *
 * @example const services = await dataOrThrow(api.GET("/api/services", { params: { query: { centreId } } }));
 */
export async function dataOrThrow<A extends Answer>(pending: Promise<A>): Promise<DataOf<A>> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    // The catalogue of refusals loads with the first refusal, so the door and the directory stay small; if it
    // cannot load, the API's own words are shown rather than none.
    const localise = await import("./i18n/problem-messages.js").then(
      (module) => module.localiseProblem,
      () => (problem: Problem) => problem,
    );
    throw new ApiError(
      error && typeof error === "object" && "title" in error
        ? localise(error as Problem, problemLocale)
        : { title: response.statusText || "Error", status: response.status },
    );
  }
  return data as DataOf<A>;
}

/**
 * The message of the first error about `field`, if any: a path naming it at any depth, so
 * `["visits", 3, "languages", 0]` is about `languages`.
 */
export function fieldError(problem: Problem | null, field: string): string | undefined {
  return problem?.errors?.find((error) => error.path.includes(field))?.message;
}
