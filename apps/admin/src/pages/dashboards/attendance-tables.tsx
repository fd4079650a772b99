// The lists and tables under the attendance chart: the context events of the range and the visits per
// period (the table behind the chart).
import { CaptionedTable, CellValue, type ReportCell } from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../../staff-page.js";
import { eventPeople } from "./event-people.js";
import { suppressedProps } from "./panel.js";
import type { EventPage, VisitItem } from "./schema.js";

/** A period's visits: a cell when protected, a plain number in the internal view. */
export function visitsCell(item: VisitItem): ReportCell | number {
  return typeof item.visits === "number" ? item.visits : item.visits.grandTotal;
}

/** The context events of the range, with their dates and who they concerned. */
export function EventList(props: {
  t: DashboardsT;
  locale: StaffPageProps["locale"];
  events: EventPage["items"];
}) {
  const { t, events } = props;
  return (
    <>
      <h3>{t("events")}</h3>
      {events.length === 0 ? (
        <p class="note">{t("noEvents")}</p>
      ) : (
        <ul class="event-list">
          {events.map((event) => (
            <li key={event.id}>
              <time dateTime={event.startsOn}>{event.startsOn}</time>
              {event.endsOn && event.endsOn !== event.startsOn ? ` → ${event.endsOn}` : ""} — {event.title}
              {eventPeople(event, props.locale).detail && ` (${eventPeople(event, props.locale).detail})`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Visits, first visits and unique visitors per period: the figures the chart draws, as a table. */
export function AttendanceTable(props: { t: DashboardsT; items: VisitItem[] }) {
  const { t, items } = props;
  const cells = suppressedProps(t);
  return (
    <CaptionedTable
      id="attendance-table"
      class="figures"
      caption={t("attendanceTable")}
      headers={[t("period"), t("visits"), t("firstVisits"), t("uniqueVisitors")]}
    >
      <tbody>
        {items.map((item) => (
          <tr key={item.period}>
            <th scope="row">{item.period}</th>
            <td>
              <CellValue cell={visitsCell(item)} {...cells} />
            </td>
            <td>
              <CellValue cell={item.firstVisits} {...cells} />
            </td>
            <td>
              <CellValue cell={item.uniqueVisitors} {...cells} />
            </td>
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}
