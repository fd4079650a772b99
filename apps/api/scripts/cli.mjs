// What the command-line tools that talk to a running Worker share (scripts/rebuild.mjs, scripts/import.mjs):
// arguments with --url and --help, failing with a status, problem details in messages, signing in, and a
// progress bar on stderr. Plain Node, no dependencies.
import { parseArgs } from "node:util";

/** Exits with a message on stderr: 2 for a usage problem, 1 for a failed call. */
export function fail(message, status = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

/**
 * Parses the tool's options (plus `--url`, default http://localhost:8787, and `--help`), printing the usage
 * for `--help` and exiting 2 on an unknown option or a bad URL.
 */
export function parseCli(usage, options) {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        ...options,
        url: { type: "string", default: "http://localhost:8787" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail(`${error.message}\n${usage}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  let base;
  try {
    base = new URL(values.url);
  } catch {
    fail(`--url is not a URL: ${values.url}`, 2);
  }
  return { options: values, base };
}

/** An answer's problem details (pretty JSON, and parsed), or the start of its text. */
export async function describeFailure(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return { text: JSON.stringify(problem, null, 2), problem };
  } catch {
    return { text: text.slice(0, 2000), problem: null };
  }
}

/**
 * Headers that authenticate the calls: `HALTE_TOKEN` as a bearer token, or a session (cookie and CSRF
 * token) signed in with `HALTE_EMAIL` and `HALTE_PASSWORD` through `call(path, init)`.
 */
export async function authenticate(call, usage) {
  const token = process.env.HALTE_TOKEN;
  if (token) return { authorization: `Bearer ${token}` };
  const email = process.env.HALTE_EMAIL;
  const password = process.env.HALTE_PASSWORD;
  if (!email || !password) fail(`Set HALTE_EMAIL and HALTE_PASSWORD, or HALTE_TOKEN\n${usage}`, 2);
  const response = await call("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) fail(`Sign-in failed (${response.status}):\n${(await describeFailure(response)).text}`);
  const { csrfToken } = await response.json();
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie) fail("Sign-in answered without a session cookie");
  return { cookie, "x-csrf-token": csrfToken };
}

const tty = process.stderr.isTTY === true;

/** Draws a progress line on stderr — `[####....] <done>/<total> <label>` — in place on a terminal. */
export function progress(done, total, label) {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${label}`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

/** Ends the progress line (on a terminal, the line is still open). */
export function endProgress() {
  if (tty) process.stderr.write("\n");
}
