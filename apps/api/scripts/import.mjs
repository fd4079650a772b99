#!/usr/bin/env node
// Imports visits from an NDJSON file (one `POST /api/visits` body per line: centreId, arrivedAt, and any of
// visitorCode, ageBand, gender, languages, firstVisit, uses, idempotencyKey) through a running Worker, in
// batches of up to 1,000 (`POST /api/visits/batch`), with a progress bar on stderr. Plain Node, no
// dependencies.
//
//   HALTE_EMAIL=… HALTE_PASSWORD=… node scripts/import.mjs --url http://localhost:8787 --file visits.ndjson
//   HALTE_TOKEN=halte_pt_… node scripts/import.mjs …          (an API token instead of signing in)
//
// Resumable and safe to repeat: a line without an idempotency key gets one made from its content and its
// number, so a batch sent twice is recorded once; after each batch the number of lines done (and a digest
// of them) is saved next to the file (`<file>.import-state.json`, or --state), and a new run starts after
// them — fix a refused line in place, do not add or remove lines before it. The state file is removed when
// the import completes. Prints one JSON line of totals on stdout; exits 1 with
// the problem details (and the line numbers they name) when a batch is refused, 2 on bad arguments.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import {
  authenticate,
  describeFailure,
  progress as drawProgress,
  endProgress,
  fail,
  parseCli,
} from "./cli.mjs";

const usage =
  "usage: node scripts/import.mjs --url <worker url> --file <visits.ndjson> [--batch 1000] [--state <file>]\n" +
  "  sign in with HALTE_EMAIL and HALTE_PASSWORD, or set HALTE_TOKEN to an API token";

const { options, base } = parseCli(usage, {
  file: { type: "string" },
  batch: { type: "string", default: "1000" },
  state: { type: "string" },
});
if (!options.file) fail(`--file is required\n${usage}`, 2);
if (!existsSync(options.file)) fail(`No such file: ${options.file}`, 2);
const batchSize = Number(options.batch);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) fail("--batch must be 1 … 1000", 2);
const statePath = options.state ?? `${options.file}.import-state.json`;

/** A call, retried on network errors, 429 and 5xx (up to 5 times, waiting 1, 2, 4, 8, 16 s). */
async function call(path, init) {
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(new URL(path, base), init);
    } catch (error) {
      if (attempt >= 5)
        fail(`${init.method} ${new URL(path, base)} failed: ${error.cause?.message ?? error.message}`);
    }
    if (response && response.status !== 429 && response.status < 500) return response;
    if (response && attempt >= 5) return response;
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
  }
}

async function countLines(path) {
  let lines = 0;
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) if (line.trim() !== "") lines++;
  return lines;
}

function progress(done, total, totals, startedMs) {
  const seconds = (Date.now() - startedMs) / 1000;
  const rate = seconds > 0 ? Math.round(totals.sent / seconds) : 0;
  drawProgress(
    done,
    total,
    `${done}/${total} lines · ${totals.created} new, ${totals.duplicates} already there · ${seconds.toFixed(1)} s · ${rate}/s`,
  );
}

let resumeFrom = 0;
let resumeDigest = "";
if (existsSync(statePath)) {
  const saved = JSON.parse(readFileSync(statePath, "utf8"));
  resumeFrom = saved.linesDone;
  resumeDigest = saved.digest;
  process.stderr.write(`Resuming after line ${resumeFrom} (${statePath})\n`);
}
const total = await countLines(options.file);
const headers = { "content-type": "application/json", ...(await authenticate(call, usage)) };
const totals = { lines: total, created: 0, duplicates: 0, sent: 0 };
const started = Date.now();

/** Sends lines [first, first + visits.length) as one batch; fails with the refused lines named. */
async function send(visits, first) {
  const response = await call("/api/visits/batch", {
    method: "POST",
    headers,
    body: JSON.stringify({ visits }),
  });
  if (!response.ok) {
    endProgress();
    const { text, problem } = await describeFailure(response);
    const lines = [
      ...new Set(
        (problem?.errors ?? [])
          .filter((error) => error.path?.[0] === "visits" && Number.isInteger(error.path[1]))
          .map((error) => first + error.path[1]),
      ),
    ];
    const where = lines.length > 0 ? ` (line${lines.length > 1 ? "s" : ""} ${lines.join(", ")})` : "";
    fail(
      `Batch of lines ${first}–${first + visits.length - 1} refused (${response.status})${where}; lines before ${first} are imported, run again to resume:\n${text}`,
    );
  }
  const result = await response.json();
  totals.created += result.created;
  totals.duplicates += result.duplicates;
  totals.sent += visits.length;
}

// A digest of the lines done so far: a resumed run checks that those lines are still the same.
const digest = createHash("sha256");
let lineNumber = 0;
let done = resumeFrom;
let batch = [];
let batchFirst = resumeFrom + 1;
progress(done, total, totals, started);
const reader = createInterface({
  input: createReadStream(options.file),
  crlfDelay: Number.POSITIVE_INFINITY,
});
for await (const raw of reader) {
  if (raw.trim() === "") continue;
  lineNumber++;
  digest.update(`${raw}\n`);
  if (lineNumber < resumeFrom) continue;
  if (lineNumber === resumeFrom) {
    if (digest.copy().digest("hex") !== resumeDigest)
      fail(`Lines 1–${resumeFrom} changed since they were imported: remove ${statePath} to start over`);
    continue;
  }
  let visit;
  try {
    visit = JSON.parse(raw);
  } catch {
    fail(`Line ${lineNumber} is not JSON; lines before ${batchFirst} are imported`);
  }
  if (visit === null || typeof visit !== "object" || Array.isArray(visit))
    fail(`Line ${lineNumber} is not a JSON object; lines before ${batchFirst} are imported`);
  // The line's content and number: a line fixed in place after a refusal gets a new key, the others keep theirs.
  visit.idempotencyKey ??= `import-${createHash("sha256").update(raw).digest("hex").slice(0, 16)}-${lineNumber}`;
  batch.push(visit);
  if (batch.length === batchSize) {
    await send(batch, batchFirst);
    done = lineNumber;
    writeFileSync(statePath, JSON.stringify({ linesDone: done, digest: digest.copy().digest("hex") }));
    progress(done, total, totals, started);
    batch = [];
    batchFirst = lineNumber + 1;
  }
}
if (lineNumber < resumeFrom)
  fail(`${options.file} has ${lineNumber} lines, ${resumeFrom} were imported: remove ${statePath}`);
if (batch.length > 0) {
  await send(batch, batchFirst);
  done = lineNumber;
  progress(done, total, totals, started);
}
rmSync(statePath, { force: true });
endProgress();
process.stdout.write(
  `${JSON.stringify({ file: options.file, lines: total, resumedAfter: resumeFrom, created: totals.created, duplicates: totals.duplicates, elapsedMs: Date.now() - started })}\n`,
);
