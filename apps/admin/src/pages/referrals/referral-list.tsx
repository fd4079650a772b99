import { useCallback, useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { errorAt, Field, formatInstant } from "../../components/form.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { navigate } from "../../router.js";
import { type Named, NEEDS, problemOf, type ReferralRecord, STATUSES } from "./shared.js";

/** The centre's referrals, filtered by need, partner and status. */
export function ReferralList(props: {
  t: ReferralsT;
  locale: string;
  centreId: string;
  partners: Named[];
  partnerName: (id: string) => string;
  canCreate: boolean;
  onCreate: () => void;
}) {
  const { t } = props;
  const [filters, setFilters] = useState({ need: "", partnerId: "", status: "" });
  const [referrals, setReferrals] = useState<ReferralRecord[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    // The selects offer only the document's values.
    const query = {
      centreId: props.centreId,
      limit: 100,
      ...(filters.need ? { need: filters.need as ReferralRecord["need"] } : {}),
      ...(filters.partnerId ? { partnerId: filters.partnerId } : {}),
      ...(filters.status ? { status: filters.status as ReferralRecord["status"] } : {}),
    };
    try {
      setReferrals((await dataOrThrow(api.GET("/api/referrals", { params: { query } }))).items);
      setProblem(null);
    } catch (error) {
      setProblem(problemOf(t, error));
    }
  }, [props.centreId, filters]);
  useEffect(() => {
    void load();
  }, [load]);

  const filter = (key: keyof typeof filters, label: string, options: Array<[string, string]>) => (
    <Field id={`filter-${key}`} label={label} error={errorAt(problem, "query", key)}>
      {(a11y) => (
        <select
          {...a11y}
          value={filters[key]}
          onChange={(e) => setFilters({ ...filters, [key]: (e.target as HTMLSelectElement).value })}
        >
          <option value="">{t("any")}</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

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
      <fieldset class="filters">
        <legend>{t("filters")}</legend>
        {filter(
          "need",
          t("need"),
          NEEDS.map((need) => [need, t(`need_${need}`)]),
        )}
        {filter(
          "partnerId",
          t("partner"),
          props.partners.map((partner) => [partner.id, partner.name]),
        )}
        {filter(
          "status",
          t("status"),
          STATUSES.map((status) => [status, t(`status_${status}`)]),
        )}
      </fieldset>
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
        <ReferralTable t={t} locale={props.locale} referrals={referrals} partnerName={props.partnerName} />
      )}
    </section>
  );
}

function ReferralTable(props: {
  t: ReferralsT;
  locale: string;
  referrals: ReferralRecord[];
  partnerName: (id: string) => string;
}) {
  const { t, referrals } = props;
  return (
    <div class="table-scroll">
      <table class="referrals">
        <caption class="visually-hidden">{t("title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("created")}</th>
            <th scope="col">{t("need")}</th>
            <th scope="col">{t("partner")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("open")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {referrals.map((referral) => (
            <tr key={referral.id}>
              <td>{formatInstant(props.locale, referral.createdAt)}</td>
              <td>{t(`need_${referral.need}`)}</td>
              <td>{props.partnerName(referral.partnerId)}</td>
              <td>{t(`status_${referral.status}`)}</td>
              <td>
                <a
                  href={`/referrals?id=${referral.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/referrals?id=${referral.id}`);
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
          ))}
        </tbody>
      </table>
    </div>
  );
}
