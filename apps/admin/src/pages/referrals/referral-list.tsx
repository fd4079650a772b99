import { useEffect, useRef, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { formatInstant } from "../../components/form.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { navigate } from "../../router.js";
import { apiFilters, type Filters, filtersQuery, ReferralFilters } from "./referral-filters.js";
import { type Named, problemOf, type ReferralRecord } from "./shared.js";

const PAGE_SIZE = 50;

/**
 * The centre's referrals, newest first, a page at a time ("Show more" adds the next one), filtered by
 * need, partner, status and creation day as the page's address says.
 */
export function ReferralList(props: {
  t: ReferralsT;
  locale: string;
  centreId: string;
  timeZone: string | undefined;
  filters: Filters;
  partners: Named[];
  partnerName: (id: string) => string;
  canCreate: boolean;
  onCreate: () => void;
}) {
  const { t, filters } = props;
  const [referrals, setReferrals] = useState<ReferralRecord[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const query = filtersQuery(filters);
  // Answers to an older filter that arrive late must not replace the current list.
  const latest = useRef(query);
  latest.current = query;

  const loadPage = async (cursor: string | null) => {
    const asked = query;
    setBusy(true);
    try {
      const page = await dataOrThrow(
        api.GET("/api/referrals", {
          params: {
            query: {
              centreId: props.centreId,
              limit: PAGE_SIZE,
              ...apiFilters(filters),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      );
      if (latest.current !== asked) return;
      setReferrals((before) => (cursor && before ? [...before, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setProblem(null);
    } catch (error) {
      if (latest.current === asked) setProblem(problemOf(t, error));
    } finally {
      if (latest.current === asked) setBusy(false);
    }
  };
  useEffect(() => {
    setReferrals(null);
    setNextCursor(null);
    void loadPage(null);
  }, [props.centreId, query]);

  return (
    <section class="staff-page" aria-labelledby="referrals-title">
      <h1 id="referrals-title">{t("title")}</h1>
      {props.canCreate && (
        <div class="toolbar">
          <button type="button" class="primary" onClick={props.onCreate}>
            {t("newReferral")}
          </button>
        </div>
      )}
      <ReferralFilters t={t} filters={filters} partners={props.partners} problem={problem} />
      {problem && (
        <p class="error" role="alert">
          {problem.detail ?? problem.title}
        </p>
      )}
      {referrals === null ? (
        <p class="loading">{t("loading")}</p>
      ) : referrals.length === 0 ? (
        <p>{t("noReferrals")}</p>
      ) : (
        <>
          <p class="hint" aria-live="polite">
            {t("shownCount", { count: referrals.length })} {nextCursor ? t("moreExist") : ""}
          </p>
          <ReferralTable
            t={t}
            locale={props.locale}
            timeZone={props.timeZone}
            referrals={referrals}
            partnerName={props.partnerName}
            listQuery={query}
          />
          {nextCursor && (
            <p>
              <button type="button" disabled={busy} onClick={() => void loadPage(nextCursor)}>
                {t("showMore")}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * One row per referral. On a narrow screen each row becomes a card (records.css): nothing is clipped and
 * the page never scrolls sideways.
 */
function ReferralTable(props: {
  t: ReferralsT;
  locale: string;
  timeZone: string | undefined;
  referrals: ReferralRecord[];
  partnerName: (id: string) => string;
  listQuery: string;
}) {
  const { t, referrals } = props;
  return (
    <div class="table-scroll">
      <table class="referrals stacking">
        <caption class="visually-hidden">{t("title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("created")}</th>
            <th scope="col">{t("need")}</th>
            <th scope="col">{t("partner")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("open")}</th>
          </tr>
        </thead>
        <tbody>
          {referrals.map((referral) => {
            const href = `/referrals${props.listQuery ? `${props.listQuery}&` : "?"}id=${referral.id}`;
            return (
              <tr key={referral.id}>
                <td data-label={t("created")}>
                  {formatInstant(props.locale, referral.createdAt, props.timeZone)}
                </td>
                <td data-label={t("need")}>{t(`need_${referral.need}`)}</td>
                <td data-label={t("partner")}>{props.partnerName(referral.partnerId)}</td>
                <td data-label={t("status")}>{t(`status_${referral.status}`)}</td>
                <td>
                  <a
                    href={href}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(href);
                    }}
                    aria-label={t("openOf", {
                      need: t(`need_${referral.need}`),
                      partner: props.partnerName(referral.partnerId),
                    })}
                  >
                    {t("open")}
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
