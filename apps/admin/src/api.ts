import type { Role } from "@halte/core";

/** RFC 9457 problem details as the API sends them (docs/api.md), with per-field errors. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ path: Array<string | number>; code?: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  centreId: string | null;
  partnerId: string | null;
}
export interface Session {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
}

// The CSRF token lives in memory and in sessionStorage (this tab only, gone when it closes): never in
// localStorage, never in a cookie readable by script. The session cookie itself is HttpOnly.
const SESSION_KEY = "halte.session";
let current: Session | null = readStoredSession();

function readStoredSession(): Session | null {
  try {
    const text = sessionStorage.getItem(SESSION_KEY);
    return text ? (JSON.parse(text) as Session) : null;
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
}

/**
 * Calls the API on the same origin. Writes carry the CSRF token; every non-2xx answer becomes an
 * `ApiError` holding the problem details, so pages can put each field's message next to the field.
 */
export async function callApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && current) headers["x-csrf-token"] = current.csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem =
      parsed && typeof parsed === "object" && "title" in parsed
        ? (parsed as Problem)
        : { title: response.statusText || "Error", status: response.status };
    throw new ApiError(problem);
  }
  return parsed as T;
}

/**
 * The message of the first error about `field`, if any: a path naming it at any depth, so
 * `["visits", 3, "languages", 0]` is about `languages`.
 */
export function fieldError(problem: Problem | null, field: string): string | undefined {
  return problem?.errors?.find((error) => error.path.includes(field))?.message;
}
