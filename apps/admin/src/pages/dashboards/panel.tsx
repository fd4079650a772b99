// The frame every dashboards panel shares: its heading, the range its protected figures cover, its
// failure, its export links.
import type { Problem } from "../../api.js";
import { ExportLinks, type GridRange, problemText } from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";

/** The props `CellValue` needs to mark a hidden cell (still possible outside the perturbed counts). */
export function suppressedProps(t: DashboardsT) {
  return {
    suppressedLabel: t("suppressed"),
    suppressedTitle: (reason: string) =>
      t("suppressedTitle", { reason: reason === "primary" ? t("reasonPrimary") : t("reasonSecondary") }),
  };
}

export function Failure(props: { t: DashboardsT; what: string; problem: Problem | null }) {
  const { problem, t } = props;
  if (!problem) return null;
  // A range the API refused is explained beside the date fields; the panels only say nothing was loaded.
  if (problem.status === 404 && !problem.code) return <p class="note">{t("notYet")}</p>;
  return (
    <p class="error" role="alert">
      {t("loadError", { what: props.what, detail: problemText(problem) })}
    </p>
  );
}

/**
 * A panel of figures. `range` is the publication-grid range its protected figures (and exports) cover:
 * when it is not the range chosen, a note says which one is shown, or in the internal view (which shows
 * the range chosen) which one the exports cover.
 */
export function Panel(props: {
  id: string;
  title: string;
  t: DashboardsT;
  report: string;
  /** The query of the protected figures: the exports use it (without `disclosure`). */
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
  children: preact.ComponentChildren;
}) {
  const { t, range } = props;
  const where = { from: range.from, to: range.to };
  return (
    <section class="report-panel" aria-labelledby={`${props.id}-title`} id={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {range.snapped && !props.internal && <p class="note range-note">{t("snappedNote", where)}</p>}
      {props.children}
      {range.snapped && props.internal && <p class="note range-note">{t("exportRange", where)}</p>}
      <ExportLinks
        path={`/api/reports/${props.report}`}
        query={props.query}
        label={t("exportOf", { what: props.title })}
        csvLabel={t("exportCsv")}
        hxlLabel={t("exportHxl")}
      />
    </section>
  );
}
