import type { z } from "zod";
import { err, ok, type Result } from "./result.js";

/**
 * Stable codes for a field that failed validation. They are part of the public API: clients and the HTTP
 * layer switch on them, so a code is never renamed, only added.
 */
export type FieldErrorCode =
  | "required"
  | "invalid_type"
  | "invalid_format"
  | "invalid_value"
  | "too_small"
  | "too_big"
  | "unknown_field"
  /** A range of days off the publication grid of protected figures (see `checkPublicationGrid`). */
  | "off_grid"
  | "invalid";

/** One field's validation failure: where (`path`), what (`code`) and a human-readable `message`. */
export interface FieldError {
  readonly path: ReadonlyArray<string | number>;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/** Why a whole input was refused: always `validation_failed`, with one entry per failing field. */
export interface ValidationError {
  readonly code: "validation_failed";
  readonly errors: readonly FieldError[];
}

function fieldErrorCode(issue: z.core.$ZodIssue, input: unknown): FieldErrorCode {
  switch (issue.code) {
    case "invalid_type":
      return valueAt(input, issue.path) === undefined ? "required" : "invalid_type";
    case "invalid_format":
      return "invalid_format";
    case "invalid_value":
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return "invalid_value";
    case "too_small":
      return "too_small";
    case "too_big":
      return "too_big";
    case "unrecognized_keys":
      return "unknown_field";
    default:
      return "invalid";
  }
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Turns zod's issues into Halte's field errors: one per failing field, with a stable code and a path of
 * plain keys. An unknown key reports one error per key so each can be shown beside its field.
 *
 * @example
 * const parsed = VisitInput.safeParse({ arrivedAt: "yesterday" });
 * if (!parsed.success) toFieldErrors(parsed.error.issues, input);
 * // [{ path: ["arrivedAt"], code: "invalid_format", message: "…" }, …]
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push({ path: [...path, key], code: "unknown_field", message: `Unknown field "${key}"` });
      }
      continue;
    }
    errors.push({ path, code: fieldErrorCode(issue, input), message: issue.message });
  }
  return errors;
}

/**
 * Validates untrusted input against a schema and returns a `Result` instead of throwing: the value as the
 * schema outputs it, or a `validation_failed` error listing every failing field with a stable code.
 *
 * @example
 * const result = validate(VisitInput, JSON.parse(body));
 * if (!result.ok) return problem(422, result.error.errors);
 * recordVisit(result.value);
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
): Result<z.output<S>, ValidationError> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return err({ code: "validation_failed", errors: toFieldErrors(parsed.error.issues, input) });
}
