/**
 * Structured logs, one JSON object per line. Callers pass only operational fields (route template, status,
 * counts, durations, ids of records); never a request body, a contact detail or a visitor code. The field
 * names that could carry personal data are dropped here too, as a second line of defence.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const personalFields = new Set([
  "contact",
  "name",
  "email",
  "phone",
  "visitorCode",
  "visitorCodeHash",
  "password",
  "token",
  "cookie",
  "body",
]);

function clean(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (!personalFields.has(key)) out[key] = value;
  }
  return out;
}

/** A logger writing JSON lines to the Workers console (Workers Logs / `wrangler tail`). */
export function createConsoleLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    console.log(JSON.stringify({ level, message, ...base, ...clean(fields) }));
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}

/**
 * An error as a log may show it: its name and the first line of its message, without the bound values a
 * failed query's message carries (drizzle appends `params: …`, which can hold a contact detail or a hash).
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split(/\n\s*params:/)[0] ?? "").split("\n")[0]?.slice(0, 300) ?? "";
}
