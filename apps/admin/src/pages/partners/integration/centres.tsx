// One partner's centres: the centres it works with, by name, and, for a caller managing partners at both
// centres, linking another centre and unlinking one (after a confirmation saying what the unlink cuts).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem, type Schemas, type Session } from "../../../api.js";
import { Field } from "../../../components/form.js";
import { ActionNotice } from "../../../components/record-list.js";
import type { PartnersT } from "../../../i18n/pages/partners.js";
import { managesPartnersAt } from "../partner-access.js";
import { messageOf } from "./shared.js";

type PartnerWithCentres = Schemas["PartnerWithCentres"];
type Centre = Schemas["Centre"];

/**
 * The centres the partner works with (`GET /api/partners/{id}`'s `centreIds`, named from `GET /api/centres`),
 * its home first. Link and unlink controls show only where the session manages partners at both centres; a
 * refusal of the API (403, 404, 409, 422) is shown with its title and detail, and the list is read again.
 */
export function PartnerCentres(props: { t: PartnersT; session: Session; partnerId: string }) {
  const { t, session, partnerId } = props;
  const [partner, setPartner] = useState<PartnerWithCentres | null>(null);
  const [centres, setCentres] = useState<Centre[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const returnFocusTo = useRef<string | null>(null);

  const load = async () => {
    const [read, page] = await Promise.all([
      dataOrThrow(api.GET("/api/partners/{partnerId}", { params: { path: { partnerId } } })),
      // Archived centres too: a partner may still be linked to one, and it is named like the others.
      dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 200, includeArchived: "true" } } })),
    ]);
    setPartner(read);
    setCentres(page.items);
  };
  useEffect(() => {
    load().catch((error) => setProblem(messageOf(t, error)));
  }, [partnerId]);
  useEffect(() => {
    if (confirming !== null || returnFocusTo.current === null) return;
    document.getElementById(returnFocusTo.current)?.focus();
    returnFocusTo.current = null;
  }, [confirming]);

  const nameOf = (id: string) => centres.find((centre) => centre.id === id)?.name ?? id;

  async function change(call: () => Promise<PartnerWithCentres>, done: string) {
    setBusy(true);
    setProblem(null);
    setNotice("");
    try {
      setPartner(await call());
      setNotice(done);
    } catch (error) {
      setProblem(messageOf(t, error));
      // A refusal may come from a change made elsewhere meanwhile: show the partner as it now stands.
      await load().catch(() => undefined);
    } finally {
      setBusy(false);
      setConfirming(null);
      heading.current?.focus();
    }
  }
  const link = (centreId: string) =>
    change(
      () =>
        dataOrThrow(
          api.POST("/api/partners/{partnerId}/centres", {
            params: { path: { partnerId } },
            body: { centreId },
          }),
        ),
      t("linkedDone", { partner: partner?.name ?? "", centre: nameOf(centreId) }),
    );
  const unlink = (centreId: string) =>
    change(
      () =>
        dataOrThrow(
          api.DELETE("/api/partners/{partnerId}/centres/{centreId}", {
            params: { path: { partnerId, centreId } },
          }),
        ),
      t("unlinkedDone", { partner: partner?.name ?? "", centre: nameOf(centreId) }),
    );

  const live = partner !== null && partner.archivedAt === null;
  const managesHome = live && managesPartnersAt(session, partner.centreId);
  const choices = centres
    .filter((centre) => centre.archivedAt === null && !partner?.centreIds.includes(centre.id))
    .filter((centre) => managesPartnersAt(session, centre.id))
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section aria-labelledby="partner-centres-title" class="panel">
      <h2 id="partner-centres-title" tabIndex={-1} ref={heading}>
        {t("centres")}
      </h2>
      <p class="hint">{t("centresHint")}</p>
      <ActionNotice notice={notice} />
      {problem && (
        <p class="error" role="alert">
          {problem.detail ? `${problem.title}. ${problem.detail}` : problem.title}
        </p>
      )}
      {partner === null ? (
        !problem && <p class="loading">{t("loading")}</p>
      ) : (
        <LinkedCentres
          t={t}
          session={session}
          partner={partner}
          centres={centres}
          confirming={confirming}
          busy={busy}
          onAsk={setConfirming}
          onUnlink={(centreId) => void unlink(centreId)}
          onKeep={(centreId) => {
            returnFocusTo.current = `unlink-${centreId}`;
            setConfirming(null);
          }}
        />
      )}
      {live && boundManager(session) && <p class="hint">{t("linkNeedsEveryCentre")}</p>}
      {managesHome &&
        session.user.centreId === null &&
        (choices.length > 0 ? (
          <LinkForm t={t} partnerId={partnerId} choices={choices} busy={busy} onLink={link} />
        ) : (
          <p class="hint">{t("noCentreToLink")}</p>
        ))}
    </section>
  );
}

/** Whether the session manages partners at the one centre it is bound to (so it cannot link to another). */
function boundManager(session: Session): boolean {
  return session.user.centreId !== null && managesPartnersAt(session, session.user.centreId);
}

/** The centres the partner works with, home first, each with its unlink button where the caller may use it. */
function LinkedCentres(props: {
  t: PartnersT;
  session: Session;
  partner: PartnerWithCentres;
  centres: Centre[];
  confirming: string | null;
  busy: boolean;
  onAsk: (centreId: string) => void;
  onUnlink: (centreId: string) => void;
  onKeep: (centreId: string) => void;
}) {
  const { t, session, partner } = props;
  const nameOf = (id: string) => props.centres.find((centre) => centre.id === id)?.name ?? id;
  const home = partner.centreId;
  const managesHome = partner.archivedAt === null && managesPartnersAt(session, home);
  const linked = [...partner.centreIds].sort((a, b) =>
    a === home ? -1 : b === home ? 1 : nameOf(a).localeCompare(nameOf(b)),
  );
  return (
    <ul class="records">
      {linked.map((centreId) => (
        <li key={centreId} class="record">
          <p>
            <strong>{nameOf(centreId)}</strong>
            {centreId === home && <span class="tag"> · {t("homeCentre")}</span>}
            {props.centres.find((centre) => centre.id === centreId)?.archivedAt && (
              <span class="tag"> · {t("archived")}</span>
            )}
          </p>
          {centreId === home && managesHome && <p class="hint">{t("homeCentreHint")}</p>}
          {centreId !== home &&
            managesHome &&
            managesPartnersAt(session, centreId) &&
            (props.confirming === centreId ? (
              <UnlinkConfirm
                t={t}
                id={centreId}
                partnerName={partner.name}
                centreName={nameOf(centreId)}
                busy={props.busy}
                onConfirm={() => props.onUnlink(centreId)}
                onCancel={() => props.onKeep(centreId)}
              />
            ) : (
              <button
                type="button"
                id={`unlink-${centreId}`}
                disabled={props.busy}
                onClick={() => props.onAsk(centreId)}
              >
                <span aria-hidden="true">{t("unlink")}</span>
                <span class="visually-hidden">{t("unlinkOf", { centre: nameOf(centreId) })}</span>
              </button>
            ))}
        </li>
      ))}
    </ul>
  );
}

/** Chooses a centre the partner is not linked to yet, among those the caller manages, and links it. */
function LinkForm(props: {
  t: PartnersT;
  partnerId: string;
  choices: Centre[];
  busy: boolean;
  onLink: (centreId: string) => Promise<void>;
}) {
  const { t, choices } = props;
  const [choice, setChoice] = useState("");
  const chosen = choices.some((centre) => centre.id === choice) ? choice : (choices[0]?.id ?? "");
  return (
    <form
      class="inline-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) void props.onLink(chosen);
      }}
    >
      <Field id={`link-centre-${props.partnerId}`} label={t("centreToLink")}>
        {(a11y) => (
          <select
            {...a11y}
            value={chosen}
            onChange={(event) => setChoice((event.target as HTMLSelectElement).value)}
          >
            {choices.map((centre) => (
              <option key={centre.id} value={centre.id}>
                {centre.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={props.busy}>
        {props.busy ? t("linking") : t("linkCentre")}
      </button>
    </form>
  );
}

/**
 * Asks before unlinking, saying what it cuts. Focus goes to "keep the link", the choice that changes nothing.
 */
function UnlinkConfirm(props: {
  t: PartnersT;
  id: string;
  partnerName: string;
  centreName: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  const names = { partner: props.partnerName, centre: props.centreName };
  return (
    <div
      class="confirm-box"
      role="alertdialog"
      aria-labelledby={`unlink-title-${props.id}`}
      aria-describedby={`unlink-what-${props.id}`}
    >
      <h3 id={`unlink-title-${props.id}`}>{t("unlinkTitle", names)}</h3>
      <p id={`unlink-what-${props.id}`}>{t("unlinkWhat", names)}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={props.busy} onClick={props.onConfirm}>
          {t("unlinkConfirm")}
        </button>
        <button type="button" ref={keep} onClick={props.onCancel}>
          {t("keepLink")}
        </button>
      </div>
    </div>
  );
}
