import { nextTicketNumber, ticketLabel } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Schemas } from "../../../api.js";
import type { QueuedTap, QueuedTicketAct } from "../../../door-queue.js";
import type { CachedTickets, DoorTicket, TicketKit } from "../../../door-tickets-cache.js";
import type { StaffLocale } from "../../../i18n/locales.js";
import { doorTicketTranslator } from "../../../i18n/pages/door-tickets.js";
import { cachedPrefix, lastTicketNumber, saveLastTicketNumber, savePrefix } from "./ticket-device.js";
import { mergeTickets, queueOf, ticketsShown } from "./ticket-state.js";

type DoorToday = Schemas["DoorToday"];
type TicketT = ReturnType<typeof doorTicketTranslator>;

/**
 * The ticket queues of the services that hand out tickets (their own chunk): give a ticket, call the next,
 * cancel one who left. Every act goes through the door's queue (offline too) with the taps; what is shown
 * is the last list from the server, kept on the device, with the acts still queued applied.
 */
export function TicketQueues(props: {
  kit: TicketKit;
  locale: StaffLocale;
  centreId: string;
  holderId: string;
  today: DoorToday;
  queued: readonly QueuedTap[];
  uses: ReadonlyMap<string, number>;
  now: Date;
  onAct: (act: QueuedTicketAct) => void;
}) {
  const { kit, centreId, holderId, today } = props;
  const tt = doorTicketTranslator(props.locale);
  const [cache, setCache] = useState<CachedTickets>(() =>
    emptyOr(kit.cachedTickets(centreId, new Date()), today),
  );
  const [prefix, setPrefix] = useState(() => cachedPrefix(centreId, holderId));

  // The device's letter, once, while online: kept for the tickets it gives offline.
  useEffect(() => {
    if (prefix || !navigator.onLine) return;
    dataOrThrow(api.POST("/api/tickets/prefix", { body: { centreId } }))
      .then((claim) => {
        savePrefix(centreId, holderId, claim.prefix);
        setPrefix(claim.prefix);
      })
      .catch(() => undefined);
    // A failed claim (offline at the start) is tried again after the door's next refresh.
  }, [kit, centreId, holderId, prefix, today]);

  // Read again whenever the door's day is (after every sync and refresh); offline, the cache stays.
  useEffect(() => {
    if (!navigator.onLine) return;
    dataOrThrow(api.GET("/api/tickets", { params: { query: { centreId } } }))
      .then((answer) => {
        const fresh = answer.queues.flatMap((queue) => [
          ...queue.waiting,
          ...queue.called,
          ...queue.cancelled,
        ]);
        const known = emptyOr(kit.cachedTickets(centreId, new Date()), answer);
        const next = {
          centreId,
          day: answer.day,
          timeZone: answer.timeZone,
          tickets: mergeTickets(known.tickets, fresh),
        };
        kit.saveTickets(next);
        setCache(next);
      })
      .catch(() => undefined);
  }, [kit, centreId, today]);

  // What a sync acknowledged since the last read is in the stored cache already (door-ticket-sync.ts).
  const stored = kit.cachedTickets(centreId, props.now);
  const base = cache.day === today.day ? cache : emptyOr(null, today);
  const known = {
    ...base,
    tickets: mergeTickets(base.tickets, stored?.day === base.day ? stored.tickets : []),
  };
  const shown = ticketsShown(kit, known, props.queued);
  return (
    <>
      {today.services
        .filter((service) => service.ticketQueue)
        .map((service) => (
          <ServiceQueue
            key={service.serviceId}
            tt={tt}
            locale={props.locale}
            timeZone={today.timeZone}
            day={today.day}
            service={service}
            tickets={shown.filter((ticket) => ticket.serviceId === service.serviceId)}
            uses={props.uses.get(service.serviceId) ?? service.uses}
            prefix={prefix}
            onAct={(act) =>
              props.onAct({ ...act, centreId, serviceId: service.serviceId } as QueuedTicketAct)
            }
          />
        ))}
    </>
  );
}

type ActWithoutPlace =
  | { kind: "take"; idempotencyKey: string; ticketId: string; at: string; prefix: string; number: number }
  | { kind: "call"; idempotencyKey: string; ticketId: string; at: string }
  | { kind: "cancel"; idempotencyKey: string; ticketId: string; at: string; reason: "left" | "no_show" };

/** One service's queue: give a ticket (shown big), call the next, the waiting list with the estimates. */
function ServiceQueue(props: {
  tt: TicketT;
  locale: StaffLocale;
  timeZone: string;
  day: string;
  service: DoorToday["services"][number];
  tickets: DoorTicket[];
  uses: number;
  prefix: string | null;
  onAct: (act: ActWithoutPlace) => void;
}) {
  const { tt, service, prefix } = props;
  const [taken, setTaken] = useState("");
  const remaining = service.capacity === null ? null : Math.max(0, service.capacity - props.uses);
  // The pace counts a call made a moment ago (the door's `now` moves every half minute, to redraw the waits).
  const queue = queueOf(props.tickets, service.serviceId, remaining, new Date());
  const next = queue.waiting[0];
  const at = () => new Date().toISOString();
  const take = () => {
    if (!prefix) return;
    const number = Math.max(
      nextTicketNumber(props.tickets, prefix),
      lastTicketNumber(service.serviceId, props.day, prefix) + 1,
    );
    saveLastTicketNumber(service.serviceId, props.day, prefix, number);
    const ticketId = crypto.randomUUID();
    setTaken(ticketLabel(prefix, number));
    props.onAct({ kind: "take", idempotencyKey: `take:${ticketId}`, ticketId, at: at(), prefix, number });
  };
  const id = `queue-${service.serviceId}`;
  return (
    <section class="ticket-queue" aria-labelledby={id}>
      <h2 id={id}>{tt("title", { name: service.name })}</h2>
      <div class="ticket-actions">
        <button type="button" class="chip take-ticket" disabled={!prefix} onClick={take}>
          {tt("take")}
        </button>
        <button
          type="button"
          class="chip call-next"
          disabled={!next}
          onClick={() =>
            next &&
            props.onAct({ kind: "call", idempotencyKey: `call:${next.id}`, ticketId: next.id, at: at() })
          }
        >
          {next ? tt("callNext", { label: next.label }) : tt("nobodyWaiting")}
        </button>
      </div>
      {!prefix && <p class="hint">{tt("needPrefix")}</p>}
      {taken && (
        <p class="ticket-big" role="status">
          {tt("taken", { label: taken })}
        </p>
      )}
      <p class="hint">
        {tt("waiting", { count: queue.waiting.length })}
        {queue.lastCalled && ` · ${tt("lastCalled", { label: queue.lastCalled.label })}`}
      </p>
      <WaitingList
        tt={tt}
        locale={props.locale}
        timeZone={props.timeZone}
        waiting={queue.waiting}
        onCancel={(ticketId, reason) =>
          props.onAct({ kind: "cancel", idempotencyKey: `cancel:${ticketId}`, ticketId, at: at(), reason })
        }
      />
    </section>
  );
}

function WaitingList(props: {
  tt: TicketT;
  locale: StaffLocale;
  timeZone: string;
  waiting: ReturnType<typeof queueOf>["waiting"];
  onCancel: (ticketId: string, reason: "left" | "no_show") => void;
}) {
  const { tt } = props;
  if (props.waiting.length === 0) return null;
  const time = new Intl.DateTimeFormat(props.locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: props.timeZone,
  });
  return (
    <ol class="waiting-list" aria-label={tt("waitingList")}>
      {props.waiting.map((ticket) => (
        <li key={ticket.id}>
          <strong class="ticket-label">{ticket.label}</strong>{" "}
          <span>{tt("takenAt", { time: time.format(new Date(ticket.takenAt)) })}</span>
          {ticket.estimatedWaitMinutes !== null && (
            <span class="estimate"> · {tt("about", { minutes: ticket.estimatedWaitMinutes })}</span>
          )}{" "}
          <button
            type="button"
            class="chip"
            aria-label={tt("leftLabel", { label: ticket.label })}
            onClick={() => props.onCancel(ticket.id, "left")}
          >
            {tt("left")}
          </button>{" "}
          <button
            type="button"
            class="chip"
            aria-label={tt("noShowLabel", { label: ticket.label })}
            onClick={() => props.onCancel(ticket.id, "no_show")}
          >
            {tt("noShow")}
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The cache if there is one for today, else an empty list for the day given. */
function emptyOr(
  cache: CachedTickets | null,
  day: { centreId: string; day: string; timeZone: string },
): CachedTickets {
  return cache ?? { centreId: day.centreId, day: day.day, timeZone: day.timeZone, tickets: [] };
}
