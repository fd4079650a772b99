// Keeps the demo's figures current: the scheduled roll-up never fires under `wrangler dev` with static
// assets (wrangler 4.86, docs/demo.md), so the demo asks the Worker to run it (POST /api/jobs/rollup, an
// admin's "run the roll-up now") every few minutes while it runs. Taps at the door reach the dashboards
// within one period plus the roll-up's one-minute settling delay.

/** Minutes between two roll-ups: `HALTE_DEMO_ROLLUP_MINUTES`, 3 by default. */
export function rollupMinutes(env = process.env) {
  const minutes = Number(env.HALTE_DEMO_ROLLUP_MINUTES ?? "3");
  return Number.isFinite(minutes) && minutes > 0 ? minutes : 3;
}

async function signInAsAdmin(url, email, password) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${email}: ${response.status}`);
  const { csrfToken } = await response.json();
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  return { cookie, "x-csrf-token": csrfToken };
}

/** Runs the roll-up once through the Worker; returns its answer (days re-rolled, rows read). */
export async function runRollupOnce(url, credentials) {
  const headers = await signInAsAdmin(url, credentials.email, credentials.password);
  const response = await fetch(`${url}/api/jobs/rollup`, { method: "POST", headers });
  if (!response.ok) throw new Error(`POST /api/jobs/rollup: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Runs the roll-up now and then every `minutes`; a failed run is reported and the next one tried. */
export function keepRollingUp(url, credentials, minutes = rollupMinutes()) {
  const once = async () => {
    try {
      const run = await runRollupOnce(url, credentials);
      if (run.daysRolled > 0)
        console.log(`Roll-up: ${run.daysRolled} day(s) re-rolled from ${run.rowsRead} row(s)`);
    } catch (error) {
      console.error(`Roll-up failed (next try in ${minutes} min): ${error.message}`);
    }
  };
  const timer = setInterval(once, minutes * 60_000);
  void once();
  return () => clearInterval(timer);
}
