import { env } from "cloudflare:workers";
import type { AgeBand, Gender } from "@halte/core";
import { expect } from "vitest";
import { Databases } from "../src/databases.js";
import { uuidv7 } from "../src/ids.js";
import { runRollupEverywhere, SETTLE_MS } from "../src/jobs/rollup.js";
import { type Caller, callHandler } from "./helpers.js";

/** Helpers for the reports-*.test.ts suites: arrivals recorded through the API, then the roll-up run. */

let keys = 0;

/** One arrival as the door sends it, with optional uses of services of the centre. */
export interface Arrival {
  at: string;
  age?: AgeBand;
  gender?: Gender;
  uses?: { serviceId: string; quantity?: number }[];
}

/** Records arrivals through `POST /api/visits/batch` (as a tablet's backlog would land). */
export async function givenArrivals(reception: Caller, centreId: string, arrivals: readonly Arrival[]) {
  for (let i = 0; i < arrivals.length; i += 500) {
    const visits = arrivals.slice(i, i + 500).map((a) => ({
      centreId,
      arrivedAt: a.at,
      idempotencyKey: `reports-${Date.now()}-${keys++}`,
      ...(a.age === undefined ? {} : { ageBand: a.age }),
      ...(a.gender === undefined ? {} : { gender: a.gender }),
      ...(a.uses === undefined ? {} : { uses: a.uses }),
    }));
    const response = await callHandler("POST", "/api/visits/batch", {
      as: reception,
      body: JSON.stringify({ visits }),
    });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  }
}

/** Runs the roll-up as the next cron tick would, with every row written so far settled. */
export async function rollUp() {
  await runRollupEverywhere({
    dbs: new Databases(env),
    now: new Date(Date.now() + SETTLE_MS),
    newId: () => uuidv7(new Date()),
  });
}

/** GET a report path as a caller, through the Worker's handler. */
export async function report(
  path: string,
  as?: Caller,
  // biome-ignore lint/suspicious/noExplicitAny: tests read report bodies loosely and assert on them
): Promise<{ status: number; headers: Headers; body: any }> {
  return callHandler("GET", path, as === undefined ? {} : { as });
}

/** A published figure as a report sends it. */
export type Figure = { value?: number; suppressed: boolean };

/** A cell's value, or "hidden" when the cell is suppressed (tests read figures as a user would). */
export function figure(cell: Figure | undefined): number | "hidden" {
  if (cell === undefined) throw new Error("no such cell");
  return cell.suppressed ? "hidden" : (cell.value as number);
}

/** The CSV body's lines, without the final empty one. */
export function csvLinesOf(body: unknown): string[] {
  return String(body)
    .split("\r\n")
    .filter((line) => line.length > 0);
}
