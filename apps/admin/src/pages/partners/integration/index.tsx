// One partner's integration: webhook endpoints and their delivery log, webhook signing secrets, API tokens.
import { useEffect, useRef } from "preact/hooks";

import { Endpoints } from "./endpoints.js";
import { Secrets } from "./secrets.js";
import type { Partner, Props } from "./shared.js";
import { Tokens } from "./tokens.js";

export function PartnerIntegration(props: Props & { partner: Partner; onBack: () => void }) {
  const { t, partner } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="staff-page" aria-labelledby="partner-title">
      <p>
        <button type="button" class="link" onClick={props.onBack}>
          {t("back")}
        </button>
      </p>
      <h1 id="partner-title" tabIndex={-1} ref={heading}>
        {partner.name}
      </h1>
      <Endpoints t={t} locale={props.locale} partnerId={partner.id} />
      <Secrets t={t} locale={props.locale} partnerId={partner.id} />
      <Tokens t={t} locale={props.locale} partnerId={partner.id} />
    </section>
  );
}
