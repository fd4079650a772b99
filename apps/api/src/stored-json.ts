// Stored JSON columns (day and month partials, period figures) read back through their core parser.

/**
 * The value of a stored JSON column, parsed and validated by `parse` (core's `parseVisitAggregate`,
 * `parseDayFigures`): an unreadable row is a bug or a damaged database, not a caller's input, so it throws
 * (an unhandled error: 500, logged without the row) rather than being skipped and under-counted.
 */
export function storedJson<T>(
  parse: (json: string) => { ok: true; value: T } | { ok: false },
  json: string,
  what: string,
): T {
  const result = parse(json);
  if (!result.ok) throw new Error(`stored ${what} is unreadable`);
  return result.value;
}
