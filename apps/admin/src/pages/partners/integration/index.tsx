// One partner's page: the centres it works with, then its integration (webhook endpoints and their delivery
// log, webhook signing secrets, API tokens).
import { useEffect, useRef } from "preact/hooks";
import type { Session } from "../../../api.js";
import { holdsAt, managesPartnersAt } from "../partner-access.js";
import { PartnerCentres } from "./centres.js";

import { Endpoints } from "./endpoints.js";
import { Secrets } from "./secrets.js";
import type { Partner, Props } from "./shared.js";
import { Tokens } from "./tokens.js";

export function PartnerIntegration(
  props: Props & { session: Session; partner: Partner; onBack: () => void },
) {
  const { t, partner, session } = props;
  // A linked centre's staff read the partner; its webhooks and tokens are its home centre's (the API answers
  // 403 elsewhere), so those sections show only to staff who may use them.
  const webhooks = holdsAt(session, "webhooks:manage", partner.centreId);
  const tokens = managesPartnersAt(session, partner.centreId);
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
      <PartnerCentres t={t} session={session} partnerId={partner.id} />
      {webhooks && <Endpoints t={t} locale={props.locale} partnerId={partner.id} />}
      {webhooks && <Secrets t={t} locale={props.locale} partnerId={partner.id} />}
      {tokens && <Tokens t={t} locale={props.locale} partnerId={partner.id} />}
      {!webhooks && !tokens && <p class="hint">{t("integrationAtHome")}</p>}
    </section>
  );
}
