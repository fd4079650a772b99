import type { Problem, Schemas } from "../../api.js";
import type { StaffT } from "../../i18n/locales.js";
import { generalProblem } from "./door-hooks.js";

/** The door's title, network state, today's arrivals, what waits to be sent and the centre's capacity left. */
export function DoorSummary(props: {
  t: StaffT;
  online: boolean;
  arrivals: number;
  pending: number;
  today: Schemas["DoorToday"] | null;
}) {
  const { t, today } = props;
  return (
    <>
      <h1 id="door-title">{t("doorTitle")}</h1>
      <p class={props.online ? "status online" : "status offline"} role="status">
        {props.online ? t("online") : t("offline")}
      </p>
      <dl class="counts">
        <div>
          <dt>{t("todayArrivals")}</dt>
          <dd id="today-count">{props.arrivals}</dd>
        </div>
        <div>
          <dt>{t("pending")}</dt>
          <dd id="pending-count">{props.pending}</dd>
        </div>
      </dl>
      {today?.capacity != null && (
        <p>
          {t("capacity", {
            remaining: Math.max(0, today.capacity - props.arrivals),
            capacity: today.capacity,
          })}
        </p>
      )}
    </>
  );
}

/** A refusal not tied to one field, or the expired session. */
export function GeneralProblem(props: { t: StaffT; problem: Problem | null }) {
  const general = generalProblem(props.problem);
  if (!general) return null;
  return (
    <p class="error" role="alert">
      {props.problem?.status === 401 ? props.t("sessionExpired") : props.t("rejected", { detail: general })}
    </p>
  );
}
