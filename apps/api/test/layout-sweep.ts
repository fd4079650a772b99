import { env } from "cloudflare:workers";
import { CENTRE_TABLES } from "@halte/db";

const BINDINGS = ["DB", "CENTRE_A", "CENTRE_B", "CENTRE_C"] as const;

/**
 * Every centre-table row (packages/db/src/homes.ts) that sits in a database other than the one its centre's
 * directory row names, as `table in BINDING: n row(s) of a centre held by OTHER`. Empty when each centre's
 * people and visits are where the directory says, and nowhere else. `referral_history` is checked through
 * its referral (in the same database), `job_watermarks` through the centre id its key ends with.
 */
export async function misplacedRows(): Promise<string[]> {
  const home = new Map<string, string>();
  const { results } = await env.DB.prepare("select id, d1_binding as binding from centres").all<{
    id: string;
    binding: string;
  }>();
  for (const row of results) home.set(row.id, row.binding);
  const misplaced: string[] = [];
  for (const binding of BINDINGS) {
    const d1 = env[binding];
    for (const table of CENTRE_TABLES) {
      const centreOf =
        table === "referral_history"
          ? `(select r.centre_id from referrals r where r.id = t.referral_id)`
          : table === "job_watermarks"
            ? `(case when t.job like 'visit-rollup:%' then substr(t.job, 14) end)`
            : "t.centre_id";
      const rows = await d1
        .prepare(`select ${centreOf} as centre, count(*) as n from ${table} t group by 1`)
        .all<{ centre: string | null; n: number }>();
      for (const row of rows.results) {
        if (table === "job_watermarks" && row.centre === null) continue;
        const expected =
          row.centre === null ? "(no such referral here)" : (home.get(row.centre) ?? "(unknown)");
        if (expected !== binding) {
          misplaced.push(`${table} in ${binding}: ${row.n} row(s) of a centre held by ${expected}`);
        }
      }
    }
  }
  return misplaced;
}
