import type { ReferralActor } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { navigate } from "../../router.js";
import { ReferralPrivacyActions } from "./privacy-actions.js";
import { ReferralFacts, ReferralTimeline } from "./referral-facts.js";
import { StatusChange } from "./status-change.js";
import { useReferralRecord } from "./use-referral-record.js";

export function ReferralDetail(props: {
  t: ReferralsT;
  locale: string;
  id: string;
  timeZone: string | undefined;
  /** The list this referral was opened from, filters included. */
  backHref: string;
  actor: ReferralActor | null;
  partnerName: (id: string) => string;
  serviceName: (id: string) => string;
}) {
  const { t, locale } = props;
  const { referral, history, loadProblem, load } = useReferralRecord(t, props.id);
  const [announcement, setAnnouncement] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, [load]);

  const back = (
    <p>
      <a
        href={props.backHref}
        onClick={(event) => {
          event.preventDefault();
          navigate(props.backHref);
        }}
      >
        {t("back")}
      </a>
    </p>
  );
  if (loadProblem) {
    return (
      <section class="staff-page">
        {back}
        <p class="error" role="alert">
          {loadProblem.detail ?? loadProblem.title}
        </p>
      </section>
    );
  }
  if (!referral) return <p class="loading">{t("loading")}</p>;

  return (
    <section class="staff-page" aria-labelledby="referral-title">
      {back}
      <h1 id="referral-title" tabIndex={-1} ref={heading}>
        {t("detailTitle", { need: t(`need_${referral.need}`) })}
      </h1>
      {/* Said on the page, not only to screen readers: staff see that the change was saved. */}
      <p class={announcement ? "notice" : "visually-hidden"} aria-live="polite">
        {announcement}
      </p>
      <p>
        <span class="badge referral-status" id="referral-status">
          {t(`status_${referral.status}`)}
        </span>
      </p>
      <ReferralFacts
        t={t}
        locale={locale}
        timeZone={props.timeZone}
        referral={referral}
        partnerName={props.partnerName}
        serviceName={props.serviceName}
      />

      <ReferralTimeline
        t={t}
        locale={locale}
        timeZone={props.timeZone}
        referral={referral}
        history={history}
      />

      {props.actor === "centre" && (
        <ReferralPrivacyActions
          t={t}
          referral={referral}
          hasLiveConsent={
            referral.consentId !== null && !history.some((entry) => entry.event === "consent_withdrawn")
          }
          onDone={async (done) => {
            setAnnouncement(done);
            await load();
          }}
        />
      )}

      {props.actor && (
        <StatusChange
          t={t}
          referral={referral}
          actor={props.actor}
          onChanged={async (done) => {
            setAnnouncement(done);
            await load();
          }}
        />
      )}
    </section>
  );
}
