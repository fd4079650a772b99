#!/usr/bin/env node
// Proves that @halte/core as published works for an outside developer: `pnpm pack` it (pnpm rewrites the
// `catalog:` versions), install the tarball into a plain Node project, type-check a TypeScript consumer
// with NodeNext resolution and run a JavaScript one.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const packageDir = resolve(process.argv[2] ?? "packages/core");
if (!existsSync(join(packageDir, "dist", "index.d.ts"))) {
  // turbo.json makes `test` depend on the package's own `build`; this catches a run outside turbo.
  console.error(`${packageDir}/dist is missing: build the package before checking what it publishes`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "halte-core-pack-"));
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "inherit"] });

try {
  const pnpm = process.env.npm_execpath?.includes("pnpm") ? process.env.npm_execpath : null;
  // pnpm 12 ships as a native executable: run it directly, not through node.
  if (pnpm) run(pnpm, ["pack", "--pack-destination", work], packageDir);
  else run("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", work], packageDir);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("pnpm pack produced no tarball");

  const consumer = join(work, "consumer");
  execFileSync("mkdir", ["-p", consumer]);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
  );
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, tarball), "typescript@6.0.3"],
    consumer,
  );

  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        types: [],
      },
      include: ["consumer.ts"],
    }),
  );
  writeFileSync(
    join(consumer, "consumer.ts"),
    `import { parsePeriod, transitionReferral, validate, VisitInput, type Referral } from "@halte/core";
const period = parsePeriod("2026W53");
const visit = validate(VisitInput, { centreId: "halte", arrivedAt: "2026-12-31T08:00:00+01:00" });
declare const referral: Referral;
const moved = transitionReferral(referral, { status: "requested" }, "centre", new Date());
export const summary: string = period.ok && visit.ok && moved.ok ? period.value.start : "";
`,
  );
  run(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "."], consumer);

  writeFileSync(
    join(consumer, "consumer.mjs"),
    `import { parsePeriod, periodContaining } from "@halte/core";
const p = parsePeriod("2026W53");
if (!p.ok || p.value.start !== "2026-12-28") throw new Error("unexpected " + JSON.stringify(p));
const q = periodContaining("day", new Date("2026-03-28T23:30:00Z"), "Europe/Paris");
if (q.code !== "2026-03-29") throw new Error("unexpected " + q.code);
console.log("consumer ok");
`,
  );
  const out = run(process.execPath, ["consumer.mjs"], consumer).toString();
  if (!out.includes("consumer ok")) throw new Error("consumer did not run");
  console.log(`@halte/core: packed ${tarball}, type-checked and ran in a plain Node project`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
