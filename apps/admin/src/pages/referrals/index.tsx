import { roleCan } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow } from "../../api.js";
import { useCentreId } from "../../components/record-list.js";
import { referralsTranslator } from "../../i18n/pages/referrals.js";
import { navigate, useLocation } from "../../router.js";
import type { StaffPageProps } from "../../staff-page.js";
import { ReferralCreator } from "./referral-creator.js";
import { ReferralDetail } from "./referral-detail.js";
import { filtersOf, filtersQuery } from "./referral-filters.js";
import { ReferralList } from "./referral-list.js";
import type { Named, ServiceRef } from "./shared.js";

export function ReferralsPage({ locale, session, onSignedOut }: StaffPageProps) {
  // The shell passes a new callback on each render: kept in a ref so it does not re-trigger the loads.
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const t = referralsTranslator(locale);
  const url = useLocation();
  const centreId = useCentreId(session);
  const [partners, setPartners] = useState<Named[] | null>(null);
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const [services, setServices] = useState<ServiceRef[]>([]);
  const [creating, setCreating] = useState(false);
  const selected = url.searchParams.get("id");

  useEffect(() => {
    if (!centreId) return;
    dataOrThrow(
      api.GET("/api/partners", { params: { query: { centreId, limit: 200, includeArchived: "true" } } }),
    )
      .then((page) => setPartners(page.items))
      .catch((error) => error instanceof ApiError && error.problem.status === 401 && signedOut.current());
    // Dates read in the centre's time zone, whatever the device's.
    dataOrThrow(api.GET("/api/centres/{centreId}", { params: { path: { centreId } } }))
      .then((centre) => setTimeZone(centre.openingHours.timeZone))
      .catch(() => undefined);
    dataOrThrow(api.GET("/api/services", { params: { query: { centreId, limit: 200 } } }))
      .then((page) => setServices(page.items))
      .catch(() => undefined);
  }, [centreId]);

  if (!centreId) return <p>{t("noCentre")}</p>;
  const partnerName = (id: string) => partners?.find((partner) => partner.id === id)?.name ?? id;
  const filters = filtersOf(url.searchParams, partners);
  if (selected) {
    return (
      <ReferralDetail
        t={t}
        locale={locale}
        id={selected}
        backHref={`/referrals${filtersQuery(filters)}`}
        timeZone={timeZone}
        actor={
          roleCan(session.user.role, "referrals:update")
            ? "centre"
            : roleCan(session.user.role, "referrals:respond")
              ? "partner"
              : null
        }
        partnerName={partnerName}
        serviceName={(id) => services.find((service) => service.id === id)?.name ?? id}
      />
    );
  }
  if (creating) {
    return (
      <ReferralCreator
        t={t}
        locale={locale}
        centreId={centreId}
        partners={partners ?? []}
        services={services}
        onCancel={() => setCreating(false)}
        onCreated={(referral) => {
          setCreating(false);
          navigate(`/referrals?id=${referral.id}`);
        }}
      />
    );
  }
  return (
    <ReferralList
      t={t}
      locale={locale}
      centreId={centreId}
      timeZone={timeZone}
      filters={filters}
      partners={partners ?? []}
      partnerName={partnerName}
      canCreate={roleCan(session.user.role, "referrals:create")}
      onCreate={() => setCreating(true)}
    />
  );
}
