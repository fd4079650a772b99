import { useState } from "preact/hooks";
import { enqueueTap, type QueuedTap, type QueuedTicketAct } from "../../door-queue.js";
import { lastUndoable, rememberTap } from "../../door-recent.js";

/**
 * What the door page writes: a tap (an arrival or a "+1") or a ticket act is shown at once (optimistic),
 * made durable in the device's queue, then sent. A tap is remembered for "undo"; a ticket act is not.
 */
export function useDoorRecorder({
  setQueued,
  sync,
  refresh,
}: {
  setQueued: (update: (list: QueuedTap[]) => QueuedTap[]) => void;
  sync: () => Promise<unknown>;
  refresh: () => Promise<unknown>;
}) {
  const [undoable, setUndoable] = useState(() => lastUndoable(Date.now()));
  const refreshUndoable = () => setUndoable(lastUndoable(Date.now()));
  const send = (tap: QueuedTap) => void enqueueTap(tap).then(() => (navigator.onLine ? sync() : refresh()));

  function record(tap: QueuedTap, serviceIds: string[]) {
    setQueued((list) => [...list, tap]);
    rememberTap({
      idempotencyKey: tap.idempotencyKey,
      kind: "kind" in tap ? "use" : "visit",
      serviceIds,
      at: Date.now(),
    });
    refreshUndoable();
    send(tap);
  }

  function recordTicketAct(act: QueuedTicketAct) {
    setQueued((list) => [...list.filter((tap) => tap.idempotencyKey !== act.idempotencyKey), act]);
    send(act);
  }

  return { undoable, refreshUndoable, record, recordTicketAct };
}
