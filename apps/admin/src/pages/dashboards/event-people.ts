import { learningTranslator } from "../../i18n/pages/learning.js";
import type { StaffPageProps } from "../../staff-page.js";

/**
 * What the attendance chart prints after an event's title: how many people it concerned (and how many of
 * them vulnerable) when the event records it; nothing otherwise.
 */
export function eventPeople(
  event: { peopleConcerned?: number | null; vulnerableConcerned?: number | null },
  locale: StaffPageProps["locale"],
): { detail?: string } {
  if (event.peopleConcerned === null || event.peopleConcerned === undefined) return {};
  const t = learningTranslator(locale);
  const number = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB");
  const people = number.format(event.peopleConcerned);
  return {
    detail:
      event.vulnerableConcerned === null || event.vulnerableConcerned === undefined
        ? t("people", { people })
        : t("peopleVulnerable", { people, vulnerable: number.format(event.vulnerableConcerned) }),
  };
}
