// The list's filters live in the page's address (`?need=…&partnerId=…&status=…&from=…&to=…`): a reload, a
// bookmark or the way back from a referral finds the same list.
import type { Problem } from "../../api.js";
import { errorAt, Field } from "../../components/form.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { navigate } from "../../router.js";
import { type Named, NEEDS, type ReferralRecord, STATUSES } from "./shared.js";

export const FILTER_KEYS = ["need", "partnerId", "status", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters the address holds; values the API would refuse are dropped rather than sent. */
export function filtersOf(params: URLSearchParams, partners: Named[] | null): Filters {
  const get = (key: FilterKey) => params.get(key) ?? "";
  const need = get("need");
  const status = get("status");
  const partnerId = get("partnerId");
  return {
    need: (NEEDS as readonly string[]).includes(need) ? need : "",
    status: (STATUSES as readonly string[]).includes(status) ? status : "",
    // Until the partners are known any id is kept: the API answers an unknown one with an empty list.
    partnerId: partners === null || partners.some((p) => p.id === partnerId) ? partnerId : "",
    from: DAY.test(get("from")) ? get("from") : "",
    to: DAY.test(get("to")) ? get("to") : "",
  };
}

/** The address's query for these filters (empty ones left out), with a leading `?` when not empty. */
export function filtersQuery(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The API query for these filters. The selects only offer the document's values. */
export function apiFilters(filters: Filters) {
  return {
    ...(filters.need ? { need: filters.need as ReferralRecord["need"] } : {}),
    ...(filters.partnerId ? { partnerId: filters.partnerId } : {}),
    ...(filters.status ? { status: filters.status as ReferralRecord["status"] } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
}

export function ReferralFilters(props: {
  t: ReferralsT;
  filters: Filters;
  partners: Named[];
  problem: Problem | null;
}) {
  const { t, filters, problem } = props;
  const change = (key: FilterKey, value: string) =>
    navigate(`/referrals${filtersQuery({ ...filters, [key]: value })}`);
  const select = (key: "need" | "partnerId" | "status", label: string, options: Array<[string, string]>) => (
    <Field id={`filter-${key}`} label={label} error={errorAt(problem, "query", key)}>
      {(a11y) => (
        <select
          {...a11y}
          value={filters[key]}
          onChange={(e) => change(key, (e.target as HTMLSelectElement).value)}
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
  const day = (key: "from" | "to", label: string) => (
    <Field id={`filter-${key}`} label={label} error={errorAt(problem, "query", key)}>
      {(a11y) => (
        <input
          {...a11y}
          type="date"
          value={filters[key]}
          onChange={(e) => change(key, (e.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
  const any = FILTER_KEYS.some((key) => filters[key] !== "");
  return (
    <fieldset class="filters">
      <legend>{t("filters")}</legend>
      {select(
        "need",
        t("need"),
        NEEDS.map((need) => [need, t(`need_${need}`)]),
      )}
      {select(
        "partnerId",
        t("partner"),
        props.partners.map((partner) => [partner.id, partner.name]),
      )}
      {select(
        "status",
        t("status"),
        STATUSES.map((status) => [status, t(`status_${status}`)]),
      )}
      {day("from", t("createdFrom"))}
      {day("to", t("createdTo"))}
      {any && (
        <div class="filter-actions">
          <button type="button" onClick={() => navigate("/referrals")}>
            {t("clearFilters")}
          </button>
        </div>
      )}
    </fieldset>
  );
}
