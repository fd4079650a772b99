import { roleCan } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import type { QueuedUse, QueuedVisit } from "../../door-queue.js";
import type { Details } from "./chips.js";
import type { DoorLanguagesEditor } from "./door-languages-editor.js";
import type { TicketQueues } from "./tickets/ticket-queues.js";

/** The clock the open/closed state of services is read against, moved on every half minute. */
export function useHalfMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The centre the door records at: the user's own, or for an admin of every centre the first listed. */
export function useDoorCentre(own: string | null): string | null {
  const [centreId, setCentreId] = useState<string | null>(own);
  useEffect(() => {
    if (centreId) return;
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 1 } } }))
      .then((page) => setCentreId(page.items[0]?.id ?? null))
      .catch(() => undefined);
  }, [centreId]);
  return centreId;
}

/** The door languages editor (with the language table) is its own chunk, fetched only for admins. */
export function useLanguagesEditor(role: Parameters<typeof roleCan>[0]) {
  const [editor, setEditor] = useState<typeof DoorLanguagesEditor | null>(null);
  useEffect(() => {
    if (!roleCan(role, "centre:manage")) return;
    void import("./door-languages-editor.js").then((module) => setEditor(() => module.DoorLanguagesEditor));
  }, [role]);
  return editor;
}

/** The ticket queues are their own chunk, fetched only when a service of the day hands out tickets. */
export function useTicketQueues(needed: boolean) {
  const [queues, setQueues] = useState<typeof TicketQueues | null>(null);
  useEffect(() => {
    if (!needed) return;
    void import("./tickets/ticket-queues.js").then((module) => setQueues(() => module.TicketQueues));
  }, [needed]);
  return queues;
}

/** An arrival as queued: a new idempotency key, now, and only the details that were given. */
export function arrivalOf(centreId: string, cardCode: string, details: Details): QueuedVisit {
  const code = cardCode.trim();
  return {
    idempotencyKey: crypto.randomUUID(),
    centreId,
    arrivedAt: new Date().toISOString(),
    ...(code ? { visitorCode: code } : {}),
    ...(details.ageBand ? { ageBand: details.ageBand } : {}),
    ...(details.gender ? { gender: details.gender } : {}),
    ...(details.language ? { languages: [details.language] } : {}),
    ...(details.firstVisit ? { firstVisit: true } : {}),
    ...(details.services?.length ? { uses: details.services.map((serviceId) => ({ serviceId })) } : {}),
  };
}

/** A use of a service by someone already inside, as queued ("+1 shower"). */
export function queuedUseOf(centreId: string, serviceId: string): QueuedUse {
  return {
    kind: "use",
    idempotencyKey: crypto.randomUUID(),
    centreId,
    serviceId,
    usedAt: new Date().toISOString(),
  };
}

/** A refusal not tied to one field (those are shown beside their field), if any. */
export function generalProblem(problem: Problem | null): string | null {
  if (!problem) return null;
  const onAField = (problem.errors ?? []).some((error) => error.path.length > 0);
  return !onAField || problem.status !== 422 ? (problem.detail ?? problem.title) : null;
}
