import {
  addUseGroup,
  aggregateVisitColumns,
  rollUp,
  UseColumns,
  type VisitAggregate,
  VisitColumns,
} from "../src/aggregate.js";
import { epochDay, formatEpochDay } from "../src/calendar.js";
import type { CoreResult } from "./totals.js";
import { CENTRE_ID, type Workload } from "./workload.js";

// The benchmark year shaped as the roll-up reads it from D1 (run.ts), and what the roll-up does with it.

/** The rows as the roll-up reads them from D1 (`rowsOfDays`): integer day and hour, uses counted per visit. */
export interface D1Rows {
  visits: {
    id: string;
    day: number;
    hour: number;
    ageBand: string | null;
    gender: string | null;
    firstVisit: boolean | null;
    visitorCodeHash: string | null;
    languages: string;
    recordKey: number;
  }[];
  useGroups: {
    day: number;
    serviceId: string;
    source: string;
    visitId: string | null;
    uses: number;
    quantity: number;
    key: number;
  }[];
}

export function d1Rows(w: Workload): D1Rows {
  const [year = 2025, month = 1, day = 1] = (w.dayKeys[0] ?? "2025-01-01").split("-").map(Number);
  const first = epochDay(year, month, day);
  const c = w.columns;
  const visits = w.visits.map((v, i) => ({
    id: v.id,
    day: first + (c.visitDay[i] as number),
    hour: c.visitHour[i] as number,
    ageBand: v.ageBand,
    gender: v.gender,
    firstVisit: v.firstVisit,
    visitorCodeHash: v.visitorCodeHash,
    languages: JSON.stringify(v.languages),
    recordKey: 0,
  }));
  const groups = new Map<string, D1Rows["useGroups"][number]>();
  w.uses.forEach((u, i) => {
    const d = first + (c.useDay[i] as number);
    const id = `${d}|${u.serviceId}|${u.source}|${u.visitId}`;
    const group = groups.get(id) ?? {
      day: d,
      serviceId: u.serviceId,
      source: u.source,
      visitId: u.visitId,
      uses: 0,
      quantity: 0,
      key: 0,
    };
    group.uses++;
    group.quantity += u.quantity;
    groups.set(id, group);
  });
  return { visits, useGroups: [...groups.values()] };
}

/** What the roll-up does with those rows (apps/api/src/jobs/rollup.ts), serialisation aside. */
export function runRows(rows: D1Rows): Map<number, VisitAggregate> {
  const { visits, uses } = columnsOf(rows);
  return aggregateVisitColumns(visits, uses);
}

/** The rows numbered into typed columns: codes, language lists and services once, uses matched to visits. */
export function columnsOf(rows: D1Rows): { visits: VisitColumns; uses: UseColumns } {
  const visits = new VisitColumns();
  const indexOf = new Map<string, number>();
  for (const row of rows.visits) indexOf.set(row.id, visits.add(row));
  const uses = new UseColumns();
  for (const group of rows.useGroups) addUseGroup(uses, visits, indexOf, group);
  return { visits, uses };
}

export function columnsAsCore(days: Map<number, VisitAggregate>): CoreResult {
  const byDay = {
    [CENTRE_ID]: Object.fromEntries([...days].map(([d, partial]) => [formatEpochDay(d), partial])),
  };
  return { days: byDay, months: rollUp(byDay, "month") };
}
