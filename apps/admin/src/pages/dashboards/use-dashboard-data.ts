// The dashboards' state and data: the centre, the range and grouping chosen (or their defaults on the
// centre's calendar), whether exact figures are shown, and the five reports and the events they need.
import { addDays, daysBetween, localDateOf, roleCan } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow, type SessionUser } from "../../api.js";
import { type GridRange, gridRange, useCentreChoice, useGet } from "../../components/report-parts.js";
import type { ReportPeriod } from "./schema.js";

/** A report's query string: the centre, a range and, for the internal view, `disclosure=none`. */
function reportQuery(
  centreId: string | null,
  range: { from: string; to: string },
  extra: Record<string, string>,
): URLSearchParams {
  const q = new URLSearchParams();
  if (centreId) q.set("centreId", centreId);
  q.set("from", range.from);
  q.set("to", range.to);
  for (const [key, value] of Object.entries(extra)) q.set(key, value);
  return q;
}

/** Everything the dashboards page shows, loaded for the range and grouping chosen. */
export function useDashboardData(user: SessionUser) {
  const { centreId, centres, choose, timeZone } = useCentreChoice(user);
  const [chosenPeriod, setPeriod] = useState<ReportPeriod | null>(null);
  // The dates the user picked; until then, the last 28 days up to today on the centre's calendar (not the
  // device's: a laptop in another zone must not shift the centre's days). Empty until the zone is known.
  const [chosenFrom, setFrom] = useState<string | null>(null);
  const [chosenTo, setTo] = useState<string | null>(null);
  const todayThere = timeZone === null ? null : localDateOf(new Date(), timeZone);
  const to = chosenTo ?? todayThere ?? "";
  const from = chosenFrom ?? (todayThere === null ? "" : addDays(todayThere, -27));
  // Until a grouping is chosen: by day up to two weeks, by week beyond (28 rows of days made the page
  // thousands of pixels tall for figures better read by the week).
  const autoWeeks = from !== "" && to !== "" && from <= to && daysBetween(from, to) + 1 > 14;
  const period: ReportPeriod = chosenPeriod ?? (autoWeeks ? "week" : "day");
  const [internal, setInternal] = useState(false);
  const mayUnsuppress = roleCan(user.role, "reports:read-unsuppressed");
  const unsuppressed = internal && mayUnsuppress;

  // Protected figures are only published for ranges on the grid: visits and services for whole periods
  // of the grouping, arrivals and referrals for exactly one day, week, month, quarter or year. The range
  // chosen is widened to the smallest such range; the internal view keeps the exact dates.
  const byPeriodRange = gridRange(from, to, period);
  const onePeriodRange = gridRange(from, to);
  const exact: GridRange = { from, to, snapped: false };
  const shown = (range: GridRange) => (unsuppressed ? exact : range);
  const periodQuery = reportQuery(centreId, byPeriodRange, { period });
  const oneQuery = reportQuery(centreId, onePeriodRange, {});
  const ready = centreId !== null && from !== "" && to !== "";
  const params = (range: GridRange) => ({
    ...(centreId ? { centreId } : {}),
    from: shown(range).from,
    to: shown(range).to,
    ...(unsuppressed ? { disclosure: "none" as const } : {}),
  });
  const byPeriod = { ...params(byPeriodRange), period };
  const onePeriod = params(onePeriodRange);
  const keyOf = (query: object) => (ready ? JSON.stringify(query) : null);

  const visits = useGet(keyOf(byPeriod), () =>
    dataOrThrow(api.GET("/api/reports/visits", { params: { query: byPeriod } })),
  );
  // The events of the range the attendance chart covers.
  const chartRange = shown(byPeriodRange);
  const eventQuery = { centreId: centreId ?? "", from: chartRange.from, to: chartRange.to, limit: 200 };
  const events = useGet(keyOf(eventQuery), () =>
    dataOrThrow(api.GET("/api/events", { params: { query: eventQuery } })),
  );
  const services = useGet(keyOf(byPeriod), () =>
    dataOrThrow(api.GET("/api/reports/services", { params: { query: byPeriod } })),
  );
  const arrivals = useGet(keyOf(onePeriod), () =>
    dataOrThrow(api.GET("/api/reports/arrivals", { params: { query: onePeriod } })),
  );
  const referrals = useGet(keyOf(onePeriod), () =>
    dataOrThrow(api.GET("/api/reports/referrals", { params: { query: onePeriod } })),
  );

  return {
    centreId,
    centres,
    choose,
    chosenPeriod,
    setPeriod,
    setFrom,
    setTo,
    from,
    to,
    period,
    internal,
    setInternal,
    mayUnsuppress,
    unsuppressed,
    byPeriodRange,
    onePeriodRange,
    shown,
    periodQuery,
    oneQuery,
    visits,
    events,
    services,
    arrivals,
    referrals,
  };
}
