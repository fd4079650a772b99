import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../../api.js";
import { type RecentTap, type UndoOutcome, undoTap } from "../../door-recent.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { doorCardTranslator } from "../../i18n/pages/door.js";

/**
 * Undoes the last tap of this device (for 10 minutes): it names what it undoes, so a second press takes the
 * tap before. A tap still queued is dropped from the queue; a sent one is voided on the server.
 */
export function UndoButton(props: {
  cardT: ReturnType<typeof doorCardTranslator>;
  locale: StaffLocale;
  timeZone: string | undefined;
  services: Schemas["DoorToday"]["services"];
  tap: RecentTap | undefined;
  onUndone: (tap: RecentTap, outcome: Extract<UndoOutcome, "dropped" | "voided">) => void;
  refreshUndoable: () => void;
}) {
  const { cardT, tap, refreshUndoable } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  // A tap leaves the undo window while the page is open.
  useEffect(() => {
    const timer = setInterval(refreshUndoable, 15_000);
    return () => clearInterval(timer);
  }, [refreshUndoable]);
  if (!tap) return message ? <p class="hint">{message}</p> : null;

  const time = new Intl.DateTimeFormat(props.locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(props.timeZone ? { timeZone: props.timeZone } : {}),
  }).format(tap.at);
  const name = props.services.find((service) => service.serviceId === tap.serviceIds[0])?.name ?? "";
  const label = tap.kind === "visit" ? cardT("undoArrival", { time }) : cardT("undoUse", { name, time });
  return (
    <div class="undo">
      <button
        type="button"
        class="undo-tap"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setMessage("");
          const outcome = await undoTap(tap);
          setBusy(false);
          if (outcome === "dropped" || outcome === "voided") props.onUndone(tap, outcome);
          else {
            setMessage(cardT(outcome === "offline" ? "undoOffline" : "undoRefused"));
            refreshUndoable();
          }
        }}
      >
        {label}
      </button>
      {message && (
        <p class="hint" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
