import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { type QueuedTap, queuedTaps } from "../../door-queue.js";
import { type SyncOutcome, syncQueuedVisits } from "../../door-sync.js";
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

  const refresh = useCallback(async () => {
    if (centreId && !navigator.onLine) setToday((shown) => shown ?? cachedToday(centreId, new Date()));
    if (navigator.onLine && centreId) {
      try {
        const counts = await dataOrThrow(api.GET("/api/visits/today", { params: { query: { centreId } } }));
        saveToday(counts);
        setToday(counts);
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401) onSignedOut();
        setToday((shown) => shown ?? cachedToday(centreId, new Date()));
      }
    }
    // Read after the counts: a tap sent in between is then in neither, never in both, and the
    // display's floor (door-counts.ts) hides the dip.
    setQueued(await queuedTaps());
  }, [centreId, onSignedOut]);

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

  return { today, queued, setQueued, online, sync, refresh };
}
