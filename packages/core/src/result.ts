/**
 * Expected failures are values, bugs are throws. Every domain rule that can refuse its input returns a
 * `Result`: `{ ok: true, value }` or `{ ok: false, error }`, where `error` carries a stable `code`.
 */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/**
 * Wraps a value as a successful result.
 *
 * @example
 * ok(42); // { ok: true, value: 42 }
 */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/**
 * Wraps an error as a failed result.
 *
 * @example
 * err({ code: "not_found" }); // { ok: false, error: { code: "not_found" } }
 */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
