import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { forgetDoorDevice } from "../../door-device.js";
import { type QueuedTap, queuedTaps } from "../../door-queue.js";
import type { RecentTap } from "../../door-recent.js";
import { currentSync, type SyncOutcome, syncQueuedVisits, syncsStarted } from "../../door-sync.js";
import { cachedToday, saveToday } from "../../door-today-cache.js";
import type { StaffT } from "../../i18n/locales.js";

type DoorToday = Schemas["DoorToday"];

const SYNC_EVERY_MS = 20_000;
const ONLINE_CHECK_MS = 2_000;

/**
 * The door's link to the API: today's counts (cached on the device for offline starts), the queued taps
 * (arrivals and uses) and the network state. Taps are synced now,
 * every 20 s, when the network returns (the `online` event, or a look at navigator.onLine every 2 s for
 * browsers that miss it), and soon again after a failure while the browser says it is online. A refused
 * batch sets `problem`; a 401 says the session expired.
 */
export function useDoorQueue(props: {
  t: StaffT;
  centreId: string | null;
  onSignedOut: () => void;
  setProblem: (problem: Problem | null) => void;
  setAnnouncement: (text: string) => void;
}) {
  const { t, centreId, onSignedOut, setProblem, setAnnouncement } = props;
  // Until the API answers (or while offline), the day as this device last saw it.
  const [today, setToday] = useState<DoorToday | null>(() =>
    centreId ? cachedToday(centreId, new Date()) : null,
  );
  const [queued, setQueued] = useState<QueuedTap[]>([]);
  const [online, setOnline] = useState(navigator.onLine);

  // Bumped by every undo: an answer or a queue read begun before it is stale and left unused.
  const undos = useRef(0);
  const refresh = useCallback(async () => {
    const started = undos.current;
    if (!centreId) return;
    if (!navigator.onLine) {
      const taps = await queuedTaps();
      // The cached day counts the taps syncs acknowledged since the last answer (door-sync.ts): fresher.
      setToday((shown) => cachedToday(centreId, new Date()) ?? shown);
      if (undos.current === started) setQueued(taps);
      return;
    }
    // The counts and the queue are read with no sync in between, and applied in one render: a tap is then
    // either in the server's answer or in the queue, never both (a count that would stick, as the shown
    // count never goes down) — at worst in neither for a moment, which door-counts.ts hides.
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        await currentSync();
        const syncs = syncsStarted();
        const counts = await dataOrThrow(api.GET("/api/visits/today", { params: { query: { centreId } } }));
        const taps = await queuedTaps();
        if (undos.current !== started) return;
        // A sync ran meanwhile: read both again (it calls refresh itself when it ends, too).
        if (syncs !== syncsStarted()) continue;
        saveToday(counts);
        setToday(counts);
        setQueued(taps);
        return;
      }
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 401) {
        // Behind a 401 with no live staff session, a door device of this browser was revoked.
        forgetDoorDevice();
        onSignedOut();
      }
      const taps = await queuedTaps();
      setToday((shown) => cachedToday(centreId, new Date()) ?? shown);
      if (undos.current === started) setQueued(taps);
    }
  }, [centreId, onSignedOut]);

  /**
   * Shows an undo at once: a dropped tap leaves the queue shown, a voided one leaves the day's counts (the
   * next answer of the server agrees). Answers begun before it are ignored.
   */
  const applyUndo = useCallback((tap: RecentTap, outcome: "dropped" | "voided") => {
    undos.current += 1;
    if (outcome === "dropped") {
      setQueued((list) => list.filter((queuedTap) => queuedTap.idempotencyKey !== tap.idempotencyKey));
      return;
    }
    setToday((shown) => {
      if (!shown) return shown;
      const next = {
        ...shown,
        visits: shown.visits - (tap.kind === "visit" ? 1 : 0),
        services: shown.services.map((service) =>
          tap.serviceIds.includes(service.serviceId)
            ? { ...service, uses: Math.max(0, service.uses - 1) }
            : service,
        ),
      };
      // The cached day too, or an offline start would count the voided tap again.
      saveToday(next);
      return next;
    });
  }, []);

  const retries = useRef(0);
  const sync = useCallback(async (): Promise<void> => {
    const outcome: SyncOutcome = await syncQueuedVisits();
    // The first requests after the network returns often fail while the browser already says "online":
    // retry soon (1 s, 2 s, 4 s … up to the regular period) rather than wait for the next round.
    if (outcome.kind === "offline" && navigator.onLine) {
      const delay = Math.min(1000 * 2 ** retries.current, SYNC_EVERY_MS);
      retries.current += 1;
      setTimeout(() => void syncAgain.current(), delay);
    } else {
      retries.current = 0;
    }
    if (outcome.kind === "refused") {
      setProblem(outcome.problem);
      if (outcome.problem.status === 401) setAnnouncement(t("sessionExpired"));
    } else if (outcome.kind === "sent") {
      setProblem(null);
    }
    await refresh();
  }, [refresh, t]);
  const syncAgain = useRef(sync);
  syncAgain.current = sync;

  useSyncTimers(sync, setOnline);

  return { today, queued, setQueued, online, sync, refresh, applyUndo };
}

/**
 * Syncs now, every 20 s, and when the network returns (the `online` event, or a look at navigator.onLine
 * every 2 s for browsers that miss it); keeps `online` up to date.
 */
function useSyncTimers(sync: () => Promise<void>, setOnline: (online: boolean) => void) {
  useEffect(() => {
    void sync();
    const goOnline = () => {
      setOnline(true);
      void sync();
    };
    const goOffline = () => setOnline(false);
    addEventListener("online", goOnline);
    addEventListener("offline", goOffline);
    const timer = setInterval(() => void sync(), SYNC_EVERY_MS);
    // Some browsers miss the `online` event (a page restored by the service worker, a tablet waking up):
    // a cheap look at navigator.onLine catches the return of the network within seconds.
    let wasOnline = navigator.onLine;
    const watcher = setInterval(() => {
      if (navigator.onLine === wasOnline) return;
      wasOnline = navigator.onLine;
      if (wasOnline) goOnline();
      else goOffline();
    }, ONLINE_CHECK_MS);
    return () => {
      removeEventListener("online", goOnline);
      removeEventListener("offline", goOffline);
      clearInterval(timer);
      clearInterval(watcher);
    };
  }, [sync]);
}
