// One referral and its history, as the detail page shows them, with a way to load them again after a change.
import { useCallback, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { problemOf, type ReferralHistoryEntry, type ReferralRecord } from "./shared.js";

/** The referral `id` and its history; `load` fetches both (again) and records the problem if either fails. */
export function useReferralRecord(t: ReferralsT, id: string) {
  const [referral, setReferral] = useState<ReferralRecord | null>(null);
  const [history, setHistory] = useState<ReferralHistoryEntry[]>([]);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    try {
      const [found, changes] = await Promise.all([
        dataOrThrow(api.GET("/api/referrals/{referralId}", { params: { path: { referralId: id } } })),
        dataOrThrow(
          api.GET("/api/referrals/{referralId}/history", {
            params: { path: { referralId: id }, query: { limit: 200 } },
          }),
        ),
      ]);
      setReferral(found);
      setHistory(changes.items);
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(problemOf(t, error));
    }
  }, [id]);
  return { referral, history, loadProblem, load };
}
