// The demo centre's referrals in every status, with their consents and status history: a partner answers some,
// some close, some are entered in error, so every screen and report about referrals has something to show.
import { zonedToInstant } from "@halte/core";
import { CENTRE_ID, TIME_ZONE } from "./seed-data.mjs";
import { addDays, pick, random } from "./seed-sql.mjs";

const needs = ["accommodation", "asylum_procedure", "health", "legal", "food", "social_rights", "addiction"];
const destinations = {
  accommodation: "demo-partner-samu-social",
  asylum_procedure: "demo-partner-ftda",
  health: "demo-partner-samu-social",
  legal: "demo-partner-ftda",
  food: "demo-partner-acf",
  social_rights: "demo-partner-aurore",
  addiction: "demo-partner-aurore",
};
const paths = [
  ["draft"],
  ["requested"],
  ["requested", "accepted"],
  ["requested", "rejected"],
  ["requested", "accepted", "in-progress"],
  ["requested", "accepted", "on-hold"],
  ["requested", "accepted", "in-progress", "completed"],
  ["requested", "accepted", "failed"],
  ["requested", "cancelled"],
  ["draft", "entered-in-error"],
];
const finals = new Set(["rejected", "completed", "failed", "cancelled", "entered-in-error"]);
const partnerMoves = new Set(["accepted", "rejected", "in-progress", "completed", "failed"]);

/** Rows of `referrals`, `referral_history` and `consents` (snake_case), spread over the year from `firstDay`. */
export function generateReferrals({ firstDay }) {
  const referralRows = [];
  const historyRows = [];
  const consentRows = [];
  for (let n = 0; n < 80; n++) {
    const path = paths[n % paths.length];
    const need = needs[n % needs.length];
    const day = addDays(firstDay, 7 + Math.floor((n * 355) / 80));
    let at = Date.parse(
      zonedToInstant(
        {
          year: +day.slice(0, 4),
          month: +day.slice(5, 7),
          day: +day.slice(8, 10),
          hour: 10,
          minute: n % 60,
          second: 0,
          millisecond: 0,
        },
        TIME_ZONE,
      ).toISOString(),
    );
    const id = `demo-r-${String(n + 1).padStart(4, "0")}`;
    const createdAt = new Date(at).toISOString();
    const sent = path[0] !== "draft" || (path.length > 1 && path[1] !== "entered-in-error");
    const withContact = sent && n % 3 === 0;
    const consentId = sent ? `demo-c-${String(n + 1).padStart(4, "0")}` : null;
    if (consentId) {
      consentRows.push({
        id: consentId,
        centre_id: CENTRE_ID,
        referral_id: id,
        given_at: createdAt,
        method: "verbal",
        scopes: withContact ? ["store_contact", "share_with_partner"] : ["share_with_partner"],
        language: "prs",
        withdrawn_at: null,
        created_at: createdAt,
        updated_at: createdAt,
      });
    }
    let status = "draft";
    let requestedAt = null;
    let closedAt = null;
    let reason = null;
    let version = 0;
    for (const next of path) {
      if (next === "draft") continue;
      at += (next === "requested" ? 5 : 60 * (4 + Math.floor(random() * 40))) * 60_000;
      const when = new Date(at).toISOString();
      reason =
        next === "rejected"
          ? pick([
              ["at_capacity", 6],
              ["not_eligible", 2],
              ["unreachable", 1],
            ])
          : next === "failed"
            ? pick([
                ["no_show", 3],
                ["unreachable", 2],
              ])
            : null;
      historyRows.push({
        referral_id: id,
        from_status: status,
        to_status: next,
        actor: partnerMoves.has(next) ? "partner" : "centre",
        actor_id: null,
        reason,
        note: null,
        at: when,
      });
      if (next === "requested") requestedAt = when;
      if (finals.has(next)) closedAt = when;
      status = next;
      version++;
    }
    referralRows.push({
      id,
      centre_id: CENTRE_ID,
      partner_id: destinations[need],
      service_id: null,
      need,
      note: null,
      status,
      status_reason: reason,
      status_note: null,
      partner_reference: status === "draft" ? null : `EXT-${1000 + n}`,
      contact: withContact
        ? {
            name: `Personne démo ${n + 1}`,
            phone: `+33 6 00 00 ${String(n).padStart(2, "0")} 00`,
            preferredLanguage: "prs",
          }
        : null,
      consent_id: consentId,
      age_band: "18-59",
      gender: n % 5 === 0 ? "female" : "male",
      languages: ["prs"],
      requested_at: requestedAt,
      closed_at: closedAt,
      version,
      created_at: createdAt,
      updated_at: new Date(at).toISOString(),
    });
  }
  return { referralRows, historyRows, consentRows };
}
