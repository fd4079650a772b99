// The Worker's upload size: `wrangler deploy --dry-run --outdir` bundles exactly what a deploy would upload
// (the admin site's static assets are uploaded separately and do not count), then each module is gzipped
// as Cloudflare measures it. Run: `npm run bench` or `cd apps/api && npx tsx bench/bundle-size.ts`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { wrangler } from "./harness.js";

/**
 * Cloudflare refuses a Worker above 3 MB gzip on the Workers Free plan (10 MB on Workers Paid). The budget
 * is a third of the free plan's limit, so that the bundle can grow but a heavy dependency shows at once.
 */
const BUDGET_KB = 1024;
const FREE_PLAN_LIMIT_KB = 3072;

const outdir = mkdtempSync(join(tmpdir(), "halte-bench-bundle-"));
try {
  wrangler(["deploy", "--dry-run", "--outdir", outdir]);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith(".map") && name !== "README.md") files.push(path);
    }
  };
  walk(outdir);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    console.log(`  ${relative(outdir, file)}: ${(bytes.length / 1024).toFixed(1)} kB`);
  }
  const gzipKb = Number((gzip / 1024).toFixed(1));
  console.log(
    `\nWorker bundle: ${gzipKb} kB gzip (${(raw / 1024).toFixed(0)} kB raw); budget ${BUDGET_KB} kB, free plan limit ${FREE_PLAN_LIMIT_KB} kB`,
  );
  const workload = `wrangler deploy --dry-run --outdir: ${files.length} module file(s), source maps left out, gzip -9`;
  recordFigures([
    {
      name: "api.worker-bundle.gzip-kB",
      value: gzipKb,
      target: `<=${BUDGET_KB}`,
      reference: `budget: a third of the Workers Free plan limit (${FREE_PLAN_LIMIT_KB} kB gzip; Workers Paid allows 10 MB)`,
      workload,
    },
    {
      name: "api.worker-bundle.raw-kB",
      value: Number((raw / 1024).toFixed(1)),
      target: null,
      reference: "the same files, uncompressed",
      workload,
    },
  ]);
  if (gzip / 1024 > BUDGET_KB) {
    console.error(`The Worker bundle is over its budget of ${BUDGET_KB} kB gzip`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
