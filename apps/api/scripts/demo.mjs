#!/usr/bin/env node
// `npm run demo`: a local Halte on http://localhost:8787 — the Worker in workerd with a local D1, migrated
// and seeded with the two demo centres (the second in its own local database, scripts/demo-config.mjs). Safe
// to run again: migrations and seed skip what is already there.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SECOND_CENTRE_BINDING, writeDemoConfig } from "./demo-config.mjs";
import { keepRollingUp, rollupMinutes } from "./demo-rollup.mjs";
import { CENTRE_ID } from "./seed-data.mjs";
import { SECOND_CENTRE_ID } from "./seed-second-centre.mjs";
import { apiDir, spawnWrangler, wrangler } from "./wrangler.mjs";

const devVars = join(apiDir, ".dev.vars");
if (!existsSync(devVars)) {
  writeFileSync(
    devVars,
    `# Local secrets for wrangler dev (git-ignored). Made by scripts/demo.mjs.\nENVIRONMENT=development\nVISITOR_CODE_SECRET=${randomBytes(32).toString("base64")}\nWEBHOOK_SECRETS_KEY=${randomBytes(32).toString("base64")}\n`,
  );
  console.log("Created apps/api/.dev.vars with a fresh VISITOR_CODE_SECRET and WEBHOOK_SECRETS_KEY");
} else if (!/^WEBHOOK_SECRETS_KEY=/m.test(readFileSync(devVars, "utf8"))) {
  // .dev.vars made before partner webhooks existed: add the key they need, keep the rest.
  appendFileSync(devVars, `WEBHOOK_SECRETS_KEY=${randomBytes(32).toString("base64")}\n`);
  console.log("Added a fresh WEBHOOK_SECRETS_KEY to apps/api/.dev.vars");
}

// wrangler.jsonc plus the second centre's own database (scripts/demo-config.mjs, docs/development.md).
const config = writeDemoConfig();
console.log(`Applying migrations to the local D1 databases (DB, ${SECOND_CENTRE_BINDING})…`);
for (const binding of ["DB", SECOND_CENTRE_BINDING]) {
  wrangler(["d1", "migrations", "apply", binding, "--local", "--config", config]);
}

console.log("Seeding the demo centres (La Halte de Jour, and a smaller fictional one in Montreuil)…");
await import("./seed.mjs");

const port = process.env.PORT ?? "8787";
console.log(`
Halte is starting on http://localhost:${port}
  health        http://localhost:${port}/api/health
  API reference http://localhost:${port}/api/docs
Sign in (POST /api/auth/login): admin@halte.demo / demo-admin-halte, coordination@halte.demo /
demo-coordination-halte, accueil@halte.demo / demo-accueil-halte, observateur@halte.demo /
demo-observateur-halte, samu@halte.demo / demo-samu-social; the second centre's coordinator
coordination.montreuil@halte.demo / demo-coordination-montreuil. Stop with Ctrl+C.
`);
const dev = spawnWrangler([
  "dev",
  "--config",
  config,
  "--port",
  port,
  "--ip",
  "127.0.0.1",
  "--log-level",
  "warn",
]);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

// The scheduled roll-up never fires under `wrangler dev` with static assets (wrangler 4.86, docs/demo.md),
// so the seeded year's day partials are built here, once the Worker answers: the dashboards show figures
// from the first sign-in. A rebuild recomputes each day from its rows, so running the demo again changes
// nothing.
const url = `http://127.0.0.1:${port}`;
async function workerAnswers() {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}
if (await workerAnswers()) {
  console.log("Building the demo year's figures (day partials, Dec 2025 – Nov 2026) of both centres…");
  const rebuild = (centreId) =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(apiDir, "scripts", "rebuild.mjs"),
          "--url",
          url,
          "--centre",
          centreId,
          "--from",
          "2025-12",
          "--to",
          "2026-11",
        ],
        {
          stdio: ["ignore", "inherit", "inherit"],
          env: { ...process.env, HALTE_EMAIL: "admin@halte.demo", HALTE_PASSWORD: "demo-admin-halte" },
        },
      );
      child.on("exit", resolve);
    });
  let code = 0;
  for (const centreId of [CENTRE_ID, SECOND_CENTRE_ID]) code ||= await rebuild(centreId);
  console.log(
    code === 0
      ? `Figures ready on ${url}/dashboards`
      : "The figures could not be built: run scripts/rebuild.mjs by hand (docs/reports.md)",
  );
  // Then today's taps: the roll-up the cron would run, every few minutes while the demo runs.
  console.log(`Rolling up new taps every ${rollupMinutes()} min (POST /api/jobs/rollup)`);
  keepRollingUp(url, { email: "admin@halte.demo", password: "demo-admin-halte" });
} else {
  console.error(`The Worker did not answer on ${url}/api/health within two minutes: no figures were built.`);
}
