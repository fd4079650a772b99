import { formatInstant } from "../../components/form.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import type { ReferralHistoryEntry, ReferralRecord } from "./shared.js";

/** A status reason's words (`at_capacity` → "At capacity"). */
export function reasonText(t: ReferralsT, code: string | null): string {
  return code ? t(`reason_${code}` as Parameters<ReferralsT>[0]) : "";
}

/** What the caller may read of a referral: partner, service, dates, age band, gender, the contact if shown. */
export function ReferralFacts(props: {
  t: ReferralsT;
  locale: string;
  /** The centre's time zone: every date reads on the centre's clock. */
  timeZone: string | undefined;
  referral: ReferralRecord;
  partnerName: (id: string) => string;
  serviceName: (id: string) => string;
}) {
  const { t, locale, referral } = props;
  return (
    <>
      <h2>{t("details")}</h2>
      <dl class="facts">
        <dt>{t("partner")}</dt>
        <dd>{props.partnerName(referral.partnerId)}</dd>
        {referral.serviceId && (
          <>
            <dt>{t("service")}</dt>
            <dd>{props.serviceName(referral.serviceId)}</dd>
          </>
        )}
        {referral.note && (
          <>
            <dt>{t("note")}</dt>
            <dd>{referral.note}</dd>
          </>
        )}
        <dt>{t("created")}</dt>
        <dd>{formatInstant(locale, referral.createdAt, props.timeZone)}</dd>
        {referral.requestedAt && (
          <>
            <dt>{t("requestedAt")}</dt>
            <dd>{formatInstant(locale, referral.requestedAt, props.timeZone)}</dd>
          </>
        )}
        {referral.closedAt && (
          <>
            <dt>{t("closedAt")}</dt>
            <dd>{formatInstant(locale, referral.closedAt, props.timeZone)}</dd>
          </>
        )}
        {referral.partnerReference && (
          <>
            <dt>{t("partnerReference")}</dt>
            <dd>{referral.partnerReference}</dd>
          </>
        )}
        <dt>{t("ageBand")}</dt>
        <dd>{referral.ageBand ?? t("unknown")}</dd>
        <dt>{t("gender")}</dt>
        <dd>{referral.gender ? t(`gender_${referral.gender}`) : t("unknown")}</dd>
        <dt>{t("contactShown")}</dt>
        <dd>
          {referral.contact
            ? [
                referral.contact.name,
                referral.contact.phone,
                referral.contact.email,
                referral.contact.preferredLanguage,
              ]
                .filter(Boolean)
                .join(" · ")
            : referral.hasContact
              ? t("contactHidden")
              : t("noContact")}
        </dd>
      </dl>
    </>
  );
}

/** The referral's history: created, each status change, consent withdrawals and erasures. */
export function ReferralTimeline(props: {
  t: ReferralsT;
  locale: string;
  /** The centre's time zone: every date reads on the centre's clock. */
  timeZone: string | undefined;
  referral: ReferralRecord;
  history: ReferralHistoryEntry[];
}) {
  const { t, locale, referral, history } = props;
  return (
    <>
      <h2 id="timeline-title">{t("timeline")}</h2>
      <ol class="timeline" aria-labelledby="timeline-title">
        <li>
          <strong>{t("timelineCreated")}</strong> ·{" "}
          {formatInstant(locale, referral.createdAt, props.timeZone)}
        </li>
        {history.map((entry) => (
          <li key={`${entry.at}-${entry.event ?? ""}-${entry.to}`}>
            <strong>
              {entry.event === "consent_withdrawn"
                ? t("timelineConsentWithdrawn")
                : entry.event === "erased"
                  ? t("timelineErased")
                  : t("timelineEntry", { from: t(`status_${entry.from}`), to: t(`status_${entry.to}`) })}
            </strong>{" "}
            · {t(`actor_${entry.actor}`)} · {formatInstant(locale, entry.at, props.timeZone)}
            {entry.reason && ` · ${t("reason")} : ${reasonText(t, entry.reason)}`}
            {entry.note && <p class="hint">{entry.note}</p>}
          </li>
        ))}
      </ol>
    </>
  );
}
