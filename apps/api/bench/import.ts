// A backlog of visits imported through the Worker (scripts/import.mjs: NDJSON → POST /api/visits/batch of
// 1,000 with idempotency keys) against a raw better-sqlite3 transaction inserting the same rows, in
// alternating rounds. Run: `npm run bench` or `cd apps/api && npx tsx bench/import.ts`
// (`HALTE_BENCH_IMPORT_VISITS`, 20,000 by default; `HALTE_BENCH_ROUNDS`, 4 by default).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatLocalDate, hashVisitorCode, importVisitorCodeKey, zonedDateTime } from "@halte/core";
import Database from "better-sqlite3";
import { generateWorkload } from "../../../packages/core/bench/workload.js";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { alternateRounds, median, ratioSpread } from "../../../tooling/bench/rounds.js";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  configWithoutAssets,
  copyDatabase,
  d1File,
  loadYear,
  startLoadedWorker,
  TIME_ZONE,
} from "./d1-load.js";
import { apiDir, BENCH_CENTRE_ID as centreId, d1 } from "./harness.js";

const PORT = 8814;
const VISITS = Number(process.env.HALTE_BENCH_IMPORT_VISITS ?? "20000");
if (!(Number.isInteger(VISITS) && VISITS > 0))
  throw new Error("HALTE_BENCH_IMPORT_VISITS must be a positive integer");
const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "4");
const SECRET = randomBytes(32).toString("base64");

interface Line {
  centreId: string;
  arrivedAt: string;
  visitorCode?: string;
  ageBand?: string;
  gender?: string;
  languages: string[];
  firstVisit?: boolean;
  uses: { serviceId: string; quantity: number }[];
  idempotencyKey: string;
}

/** `VISITS` visits of a year generated small enough, with their door uses, as the import lines of one round. */
function importLines(round: number): string {
  const workload = generateWorkload(Math.min(1, VISITS / 500_000 + 0.001));
  const usesByVisit = new Map<string, { serviceId: string; quantity: number }[]>();
  for (const use of workload.uses) {
    if (use.visitId === null) continue;
    const uses = usesByVisit.get(use.visitId) ?? [];
    uses.push({ serviceId: `${centreId}-${use.serviceId}`, quantity: use.quantity });
    usesByVisit.set(use.visitId, uses);
  }
  const lines: string[] = [];
  for (const visit of workload.visits.slice(0, VISITS)) {
    const line: Line = {
      centreId,
      arrivedAt: visit.arrivedAt,
      languages: visit.languages,
      uses: usesByVisit.get(visit.id) ?? [],
      idempotencyKey: `bench-r${round}-${visit.id}`,
    };
    if (visit.visitorCodeHash) line.visitorCode = visit.visitorCodeHash.slice(0, 10);
    if (visit.ageBand) line.ageBand = visit.ageBand;
    if (visit.gender) line.gender = visit.gender;
    if (visit.firstVisit !== null) line.firstVisit = visit.firstVisit;
    lines.push(JSON.stringify(line));
  }
  if (lines.length < VISITS) throw new Error(`the generator made only ${lines.length} visits`);
  return `${lines.join("\n")}\n`;
}

/**
 * The reference: read the same NDJSON, hash the codes with the same key and function, file each visit
 * under its local day, and insert the visits and their uses in one transaction.
 */
async function rawImport(file: string, ndjson: string): Promise<number> {
  const db = new Database(file);
  const started = performance.now();
  const key = await importVisitorCodeKey(SECRET);
  const lines = ndjson
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Line);
  const hashes = await Promise.all(
    lines.map((line) => (line.visitorCode ? hashVisitorCode(line.visitorCode, key) : null)),
  );
  const insertVisit = db.prepare(
    "INSERT INTO visits (id, created_at, updated_at, centre_id, arrived_at, local_day, local_hour, visitor_code_hash, age_band, gender, languages, first_visit, idempotency_key, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench-admin')",
  );
  const insertUse = db.prepare(
    "INSERT INTO service_uses (id, created_at, updated_at, centre_id, service_id, visit_id, used_at, local_day, quantity, source, partner_id, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'door', NULL, NULL)",
  );
  const at = new Date().toISOString();
  db.transaction(() => {
    lines.forEach((line, i) => {
      const id = randomUUID();
      // The local day and hour as the Worker fixes them (visitRows).
      const local = zonedDateTime(line.arrivedAt, TIME_ZONE);
      const day = formatLocalDate(local);
      insertVisit.run(
        id,
        at,
        at,
        line.centreId,
        line.arrivedAt,
        day,
        local.hour,
        hashes[i],
        line.ageBand ?? null,
        line.gender ?? null,
        JSON.stringify(line.languages),
        line.firstVisit === undefined ? null : line.firstVisit ? 1 : 0,
        line.idempotencyKey,
      );
      for (const use of line.uses)
        insertUse.run(
          randomUUID(),
          at,
          at,
          line.centreId,
          use.serviceId,
          id,
          line.arrivedAt,
          day,
          use.quantity,
        );
    });
  })();
  const ms = performance.now() - started;
  db.close();
  return ms;
}

/** scripts/import.mjs over one file; wall time and its totals. */
function cliImport(url: string, file: string): Promise<{ ms: number; created: number; duplicates: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/import.mjs", "--url", url, "--file", file], {
      cwd: apiDir,
      env: { ...process.env, HALTE_EMAIL: ADMIN_EMAIL, HALTE_PASSWORD: ADMIN_PASSWORD },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`scripts/import.mjs exited ${code}`));
      else resolve({ ms, ...(JSON.parse(out) as { created: number; duplicates: number }) });
    });
  });
}

const state = mkdtempSync(join(tmpdir(), "halte-bench-import-"));
let dev: ChildProcess | undefined;
try {
  console.log("Preparing the local D1 (the centre, its services and an admin) and the NDJSON files…");
  const config = configWithoutAssets(state);
  d1(state, config, "migrations", "apply");
  const file = d1File(state);
  loadYear(file, { centreIds: [centreId], scale: 0.001, watermark: new Date().toISOString(), rows: false });
  const emptyCopy = join(state, "empty.sqlite");
  copyDatabase(file, emptyCopy);
  const files = Array.from({ length: ROUNDS }, (_, i) => {
    const path = join(state, `visits-${i + 1}.ndjson`);
    writeFileSync(path, importLines(i + 1));
    return path;
  });
  const uses = readFileSync(files[0] as string, "utf8").split('"serviceId"').length - 1;

  const worker = await startLoadedWorker({ port: PORT, config, state, secret: SECRET });
  dev = worker.dev;
  const url = worker.url;

  let round = 0;
  const times = await alternateRounds(
    {
      raw: async () => {
        const rawFile = join(state, `raw-${round + 1}.sqlite`);
        copyFileSync(emptyCopy, rawFile);
        const reference = await rawImport(rawFile, readFileSync(files[round] as string, "utf8"));
        console.log(`  raw    ${reference.toFixed(0).padStart(7)} ms`);
        return reference;
      },
      import: async () => {
        const imported = await cliImport(url, files[round] as string);
        if (imported.created !== VISITS || imported.duplicates !== 0)
          throw new Error(
            `the import recorded ${imported.created} visits (${imported.duplicates} duplicates)`,
          );
        console.log(`  import ${imported.ms.toFixed(0).padStart(7)} ms  (${imported.created} visits)`);
        return imported.ms;
      },
    },
    ROUNDS,
    (done, order) => {
      console.log(`  round ${done} done (${order.join(" then ")})`);
      round = done;
    },
  );
  // Sent again, the last file records nothing new.
  const again = await cliImport(url, files[ROUNDS - 1] as string);
  if (again.created !== 0 || again.duplicates !== VISITS)
    throw new Error(`a repeated import recorded ${again.created} new visits`);

  const subject = median(times.import);
  const reference = median(times.raw);
  const rounds = ratioSpread(times.import, times.raw);
  const ratio = Number(rounds.median.toFixed(2));
  console.log(
    `\nimport ÷ raw SQLite: ${ratio} (rounds ${rounds.min.toFixed(2)}–${rounds.max.toFixed(2)}) — ${subject.toFixed(0)} vs ${reference.toFixed(0)} ms; ${Math.round((VISITS / subject) * 1000)} visits/s`,
  );
  const workload = `${VISITS} visits with ${uses} door uses (a year generated at a smaller scale, spread over 2025), batches of 1,000; wrangler dev (workerd + local D1) on loopback; ${ROUNDS} rounds, order rotated, median of per-round ratios`;
  recordFigures([
    {
      name: "api.import/raw-sqlite",
      value: ratio,
      min: Number(rounds.min.toFixed(2)),
      max: Number(rounds.max.toFixed(2)),
      rounds: ROUNDS,
      target: null,
      reference:
        "better-sqlite3: the same NDJSON parsed, codes hashed with the same key, local days, visits and uses inserted in one transaction",
      workload,
    },
    {
      name: "api.import.visits-per-s",
      value: Math.round((VISITS / subject) * 1000),
      target: null,
      reference: "scripts/import.mjs (sign-in + POST /api/visits/batch of 1,000), visits per second",
      workload,
    },
  ]);
} finally {
  dev?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(state, { recursive: true, force: true });
}
