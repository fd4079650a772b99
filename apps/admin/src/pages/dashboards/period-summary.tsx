// The period at a glance: the visits of the whole range and who they were (age band, gender, language), as
// short tables with a bar each, instead of one row per day. Built from the figures the visits report
// publishes for each period, so it shows nothing the tables below do not.
import "../../styles/dashboard-summary.css";
import { CaptionedTable, type GridRange, type Loaded } from "../../components/report-parts.js";
import type { DashboardSummaryT } from "../../i18n/pages/dashboard-summary.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../../staff-page.js";
import type { VisitItem, VisitReport } from "./schema.js";
import { addTo, newTally, type Tally, tallyTotal } from "./totals.js";

const AGES = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"];
const GENDERS = ["female", "male", "other", "unknown"];

interface VisitTotals {
  visits: Tally;
  firstVisits: Tally;
  ages: Tally;
  genders: Tally;
  languages: Tally;
}

/** Adds up each period's published visits by age band, gender and language. */
function visitTotals(items: readonly VisitItem[]): VisitTotals {
  const totals = {
    visits: newTally(),
    firstVisits: newTally(),
    ages: newTally(),
    genders: newTally(),
    languages: newTally(),
  };
  for (const item of items) {
    addTo(totals.firstVisits, "all", item.firstVisits);
    if (typeof item.visits === "number" && "byAgeBandGender" in item) {
      // The internal view: plain numbers, age band × gender.
      addTo(totals.visits, "all", item.visits);
      for (const [age, byGender] of Object.entries(item.byAgeBandGender)) {
        for (const [gender, n] of Object.entries(byGender)) {
          addTo(totals.ages, age, n);
          addTo(totals.genders, gender, n);
        }
      }
      for (const [language, n] of Object.entries(item.byLanguage)) addTo(totals.languages, language, n);
    } else if (typeof item.visits !== "number" && Array.isArray(item.byLanguage)) {
      const table = item.visits;
      addTo(totals.visits, "all", table.grandTotal);
      table.rowLabels.forEach((age, i) => {
        addTo(totals.ages, age, table.rowTotals[i]);
      });
      table.columnLabels.forEach((gender, j) => {
        addTo(totals.genders, gender, table.columnTotals[j]);
      });
      for (const row of item.byLanguage) addTo(totals.languages, row.language, row.count);
    }
  }
  return totals;
}

/** A short table: one row per group, its count and its share drawn as a bar (the numbers carry it). */
function BarTable(props: {
  id: string;
  caption: string;
  groupHeader: string;
  countHeader: string;
  shareHeader: string;
  rows: Array<[key: string, label: string, count: number]>;
}) {
  const max = Math.max(1, ...props.rows.map(([, , count]) => count));
  const total = props.rows.reduce((sum, [, , count]) => sum + count, 0);
  return (
    <CaptionedTable
      id={props.id}
      class="figures bars"
      caption={props.caption}
      headers={[props.groupHeader, props.countHeader, props.shareHeader]}
    >
      <tbody>
        {props.rows.map(([key, label, count]) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            <td>{count}</td>
            <td>
              <span class="bar-track" aria-hidden="true">
                <span style={{ width: `${Math.round((count / max) * 100)}%` }} />
              </span>
              {total === 0 ? "–" : `${Math.round((count / total) * 100)} %`}
            </td>
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}

function languageNamer(locale: string, notGiven: string): (code: string) => string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "language" });
  } catch {
    names = null;
  }
  return (code) => {
    if (code === "unknown") return notGiven;
    try {
      return names?.of(code) ?? code;
    } catch {
      return code;
    }
  };
}

export function PeriodSummary(props: {
  t: DashboardsT;
  ts: DashboardSummaryT;
  locale: StaffPageProps["locale"];
  visits: Loaded<VisitReport>;
  range: GridRange;
  internal: boolean;
}) {
  const { t, ts } = props;
  const items = props.visits.data?.items ?? [];
  if (items.length === 0) return null;
  const totals = visitTotals(items);
  const groupLabel = (group: string) =>
    group === "unknown"
      ? t("groupNotGiven")
      : group === "female" || group === "male" || group === "other"
        ? ts(`gender_${group}`)
        : group;
  const rowsOf = (tally: Tally, order: readonly string[] | null, label: (key: string) => string) => {
    const keys =
      order ??
      [...tally.counts.keys()].sort((a, b) => (tally.counts.get(b) ?? 0) - (tally.counts.get(a) ?? 0));
    return keys.map((key): [string, string, number] => [key, label(key), tally.counts.get(key) ?? 0]);
  };
  const language = languageNamer(props.locale, t("languageNotGiven"));
  const anyHidden = Object.values(totals).some((tally: Tally) => tally.hidden);
  const shared = { countHeader: t("visits"), shareHeader: ts("share") };
  return (
    <section class="report-panel summary" aria-labelledby="summary-title" id="summary">
      <h2 id="summary-title">{ts("summaryTitle", { from: props.range.from, to: props.range.to })}</h2>
      <dl class="headline-figures">
        <div>
          <dt>{ts("visitsTotal")}</dt>
          <dd id="summary-visits">{tallyTotal(totals.visits)}</dd>
        </div>
        <div>
          <dt>{ts("firstVisitsTotal")}</dt>
          <dd>{tallyTotal(totals.firstVisits)}</dd>
        </div>
      </dl>
      <div class="summary-tables">
        <BarTable
          id="summary-ages"
          caption={ts("byAgeBand")}
          groupHeader={t("ageBand")}
          rows={rowsOf(totals.ages, AGES, groupLabel)}
          {...shared}
        />
        <BarTable
          id="summary-genders"
          caption={ts("byGender")}
          groupHeader={t("gender")}
          rows={rowsOf(totals.genders, GENDERS, groupLabel)}
          {...shared}
        />
        <BarTable
          id="summary-languages"
          caption={ts("byLanguage")}
          groupHeader={ts("group")}
          rows={rowsOf(totals.languages, null, language)}
          {...shared}
        />
      </div>
      {!props.internal && <p class="note">{ts("sumNote")}</p>}
      {anyHidden && <p class="note">{ts("hiddenLeftOut")}</p>}
    </section>
  );
}
